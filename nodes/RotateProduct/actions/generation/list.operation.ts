import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { errorItem, withItemIndex } from '../../../shared/items';
import { listPage } from '../../helpers/listWalker';
import { generationJson } from '../../helpers/status';
import { MAX_PAGE_SIZE } from '../../helpers/types';
import { optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['list'] } },
	properties,
);

/** Reads pages of 100 until the limit, or the end. Runs once, whatever the input. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	try {
		return await listAll(this);
	} catch (error) {
		// Runs once: with Continue On Fail its failure is the one output item.
		if (!this.continueOnFail()) throw withItemIndex(this, error, 0);
		return [errorItem(this.getNode(), error, 0)];
	}
}

async function listAll(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const returnAll = context.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = returnAll ? Infinity : (context.getNodeParameter('limit', 0, 50) as number);
	const output: INodeExecutionData[] = [];
	for (let page = 1; output.length < limit; page++) {
		const list = await listPage(context, page, MAX_PAGE_SIZE);
		for (const generation of list.generations.slice(0, limit - output.length)) {
			output.push({ json: generationJson(generation), pairedItem: { item: 0 } });
		}
		if (list.generations.length < MAX_PAGE_SIZE || page * MAX_PAGE_SIZE >= list.total) break;
	}
	return output;
}
