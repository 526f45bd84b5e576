import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getGeneration } from '../../helpers/lookup';
import { generationJson } from '../../helpers/status';
import { parseGenerationId } from '../../helpers/validation';
import { generationIdField, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [generationIdField, optionsCollection()];

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
