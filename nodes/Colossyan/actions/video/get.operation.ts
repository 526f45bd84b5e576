/** Get Video: the generated video's details (public URL, size, duration) without the file. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getGeneratedVideo, getJob } from '../../helpers/api';
import { jobJson } from '../../helpers/status';
import { readVideoReference } from '../../helpers/video';
import { optionsCollection, videoIdFields } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['video'], operation: ['get'] } }, [
	...videoIdFields,
	optionsCollection(),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const reference = readVideoReference(this, itemIndex);
		if (reference.by === 'video') return { json: await getGeneratedVideo(this, reference.id, itemIndex) };
		const job = await getJob(this, reference.id, itemIndex);
		if (!job.videoId) return { json: { ...jobJson(job), video: null } };
		return { json: { ...(await getGeneratedVideo(this, job.videoId, itemIndex)), job: jobJson(job) } };
	});
}
