/**
 * Get Video: the generated video's details without the file: its temporary
 * public URL (flagged `publicUrlIsTemporary`), subtitles (`vttSubtitleString`),
 * size and duration.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getJob } from '../../helpers/api';
import { jobJson, jobState } from '../../helpers/status';
import { fetchVideo, readVideoReference, videoJson } from '../../helpers/video';
import { optionsCollection, videoIdFields } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['video'], operation: ['get'] } }, [
	...videoIdFields,
	{
		displayName:
			'The video\'s "publicUrl" is temporary: to keep the video, use the Download Video operation and store the file, not the URL',
		name: 'temporaryUrlNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection(),
]);

export const effect = 'read';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const reference = readVideoReference(this, itemIndex);
		if (reference.by === 'video') return { json: videoJson(await fetchVideo(this, reference.id, itemIndex)) };
		const job = await getJob(this, reference.id, itemIndex);
		if (!job.videoId) return { json: { ...jobJson(job), video: null } };
		const video = await fetchVideo(this, job.videoId, itemIndex, jobState(job.status) === 'done');
		return { json: { ...videoJson(video), job: jobJson(job) } };
	});
}
