/** Steps return their items; the operation puts them back in input order. */
import type { INodeExecutionData } from 'n8n-workflow';

import { inItemOrder } from '../../nodes/shared/items';

const item = (name: string, pairedItem: INodeExecutionData['pairedItem']): INodeExecutionData => ({ json: { name }, pairedItem });

test('items from several steps come out in the order of their input items', () => {
	const failed = [item('error 3', { item: 3 }), item('error 0', { item: 0 })];
	const finished = [item('done 1', { item: 1 }), item('done 4', { item: 4 }), item('done 2', { item: 2 })];
	expect(inItemOrder([...failed, ...finished]).map((i) => i.json.name)).toEqual(['error 0', 'done 1', 'done 2', 'error 3', 'done 4']);
});

test('a number or a list as pairedItem orders by its (first) input item; ties keep their order', () => {
	const items = [item('b', [{ item: 2 }, { item: 0 }]), item('a', 1), item('c', { item: 1 })];
	expect(inItemOrder(items).map((i) => i.json.name)).toEqual(['a', 'c', 'b']);
});

test('the input array is left as it was', () => {
	const items = [item('second', { item: 1 }), item('first', { item: 0 })];
	inItemOrder(items);
	expect(items.map((i) => i.json.name)).toEqual(['second', 'first']);
});
