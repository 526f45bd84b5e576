/** The one reader of id lists and the one plain-id check, directly (both nodes' messages are asserted in their engine tests). */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idParts, parseIdList, plainIdProblem } from '../../nodes/shared/ids';

const node: INode = { id: 'n1', name: 'Download Zip', type: 'n8n-nodes-rotateproduct-colossyan.test', typeVersion: 1, position: [0, 0], parameters: {} };

/** A service rule as the nodes write them: numeric ids that throw their own message. */
const numeric = {
	label: 'generation ids',
	hint: 'Map the "id" field.',
	parseOne: (part: unknown): number => {
		const text = String(part).trim();
		if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a generation id`);
		return Number(text);
	},
};

describe('idParts', () => {
	test('a list separated by commas, semicolons, spaces or new lines; empty parts dropped', () => {
		expect(idParts('1, 2,3;4 5\n6\t7,,')).toEqual(['1', '2', '3', '4', '5', '6', '7']);
	});

	test('an array is taken as it is; a number is one id; nothing is no id', () => {
		expect(idParts([1, 'a', 2])).toEqual([1, 'a', 2]);
		expect(idParts(42)).toEqual(['42']);
		expect(idParts(undefined)).toEqual([]);
		expect(idParts(null)).toEqual([]);
		expect(idParts(' , ; ')).toEqual([]);
	});
});

describe('parseIdList', () => {
	test('each part goes through the service check, in order, duplicates kept (the operation de-duplicates)', () => {
		expect(parseIdList(node, '3,1, 3', 0, numeric)).toEqual([3, 1, 3]);
		expect(parseIdList(node, [5, '6'], 0, numeric)).toEqual([5, 6]);
		expect(parseIdList(node, 7, 0, numeric)).toEqual([7]);
	});

	test('no id at all: "No <label> in item <n>", with the hint and the item index', () => {
		let thrown: unknown;
		try {
			parseIdList(node, ' ', 4, numeric);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as NodeOperationError).message).toBe('No generation ids in item 4');
		expect((thrown as NodeOperationError).description).toBe('Map the "id" field.');
		expect((thrown as NodeOperationError).context.itemIndex).toBe(4);
		expect(() => parseIdList(node, [], 0, { ...numeric, label: 'job IDs' })).toThrow('No job IDs in item 0');
	});

	test("a bad part is the service's own error", () => {
		expect(() => parseIdList(node, '1,abc', 0, numeric)).toThrow('"abc" is not a generation id');
	});
});

describe('plainIdProblem', () => {
	test('plain tokens pass; dots, separators, controls, % and non-ASCII do not', () => {
		expect(plainIdProblem('job_1-A.b')).toBeUndefined();
		expect(plainIdProblem('')).toBe('it is empty');
		expect(plainIdProblem('..')).toBe('it is only dots');
		expect(plainIdProblem('x'.repeat(201))).toMatch(/longer than 200/);
		for (const id of ['a/b', 'a\\b', 'a b', 'a?b', 'a#b', '%2e', 'a\u0000b']) expect(plainIdProblem(id)).toMatch(/contains a space, slash/);
		expect(plainIdProblem('a\u2215b')).toMatch(/outside plain ASCII/);
	});
});
