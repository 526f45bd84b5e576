/**
 * Download Video: job or video id -> generated video -> the file from its public
 * URL, streamed into binary data and named from the video's name.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { downloadGeneratedVideo, readVideoReference, readyVideo, videoJson } from '../../helpers/video';
import { binaryPropertyOption, optionsCollection, videoIdFields } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['video'], operation: ['download'] } }, [
	...videoIdFields,
	binaryPropertyOption,
	optionsCollection(),
]);

export const effect = 'read';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const reference = readVideoReference(this, itemIndex);
		const binaryProperty = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
		const { video } = await readyVideo(this, reference, itemIndex);
		return { json: videoJson(video), binary: { [binaryProperty]: await downloadGeneratedVideo(this, video, itemIndex) } };
	});
}
