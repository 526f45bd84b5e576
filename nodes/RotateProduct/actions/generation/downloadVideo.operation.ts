/**
 * Download Video: the mp4 streamed from the socket into n8n's binary storage,
 * named from the external id. The status is read first, so a video that is not
 * ready gets a clear error instead of a bare 404.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getGenerationAt } from '../../helpers/lookup';
import { generationJson, generationState } from '../../helpers/status';
import { parseGenerationId } from '../../helpers/validation';
import { downloadGenerationVideo } from '../../helpers/waitAndDownload';
import { binaryPropertyOption, generationIdField, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'RotateProduct keeps each video for 1 hour after its generation was created',
		name: 'videoKeptNotice',
		type: 'notice',
		default: '',
	},
	generationIdField,
	binaryPropertyOption,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['generation'], operation: ['downloadVideo'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const id = parseGenerationId(this, this.getNodeParameter('generationId', itemIndex), itemIndex);
		const binaryProperty = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
		const { generation, serverNow } = await getGenerationAt(this, id, itemIndex);
		const state = generationState(generation.status);
		if (state !== 'done') {
			throw new NodeOperationError(
				this.getNode(),
				state === 'failed'
					? `Generation ${id} ${generation.status}: it has no video`
					: `Generation ${id} is not ready yet (status: ${generation.status})`,
				{
					itemIndex,
					description:
						state === 'failed'
							? 'Generate it again, or check the image URL.'
							: 'Generation takes about 3 minutes. Use Generate with "Wait for Completion", or the RotateProduct Trigger, to download when it is done.',
				},
			);
		}
		const binary = await downloadGenerationVideo(this, generation, itemIndex, serverNow);
		return { json: generationJson(generation), binary: { [binaryProperty]: binary } };
	});
}
