import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getGeneration } from '../../helpers/lookup';
import { generationJson } from '../../helpers/status';
import { parseGenerationId } from '../../helpers/validation';

export const generationIdField: INodeProperties = {
	displayName: 'Generation ID',
	name: 'generationId',
	type: 'string',
	required: true,
	default: '={{ $json.id }}',
	description: 'The ID of a generation, as returned by Generate or Get Many',
};

const properties: INodeProperties[] = [generationIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const id = parseGenerationId(this, this.getNodeParameter('generationId', itemIndex), itemIndex);
		return { json: generationJson(await getGeneration(this, id, itemIndex)) };
	});
}
