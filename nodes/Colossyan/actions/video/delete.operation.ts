/**
 * Delete Video: `DELETE /generated-videos/:videoId`. Not paid, but it cannot be
 * undone. By job ID the job names its video first; every id is checked before
 * any request.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getJob, pathId } from '../../helpers/api';
import { explainGone, readVideoReference } from '../../helpers/video';
import { colossyanRequest } from '../../transport';
import { optionsCollection, videoIdFields } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'This deletes the video in Colossyan for good: it cannot be undone. Download it first if you need the file.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	...videoIdFields,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['video'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const reference = readVideoReference(this, itemIndex);
		const jobId = reference.by === 'job' ? reference.id : undefined;
		const videoId = jobId === undefined ? reference.id : await videoOfJob(this, jobId, itemIndex);
		const path = `/generated-videos/${pathId(this, videoId, 'video', itemIndex)}`;
		// A 404 or 410: already deleted, expired, or another workspace's (worded like Get and Download).
		await colossyanRequest(this, { method: 'DELETE', path, itemIndex }).catch((error: unknown) => {
			throw explainGone(error, videoId, false);
		});
		return { json: { ...(jobId === undefined ? {} : { jobId }), videoId, deleted: true } };
	});
}

async function videoOfJob(context: IExecuteFunctions, jobId: string, itemIndex: number): Promise<string> {
	const job = await getJob(context, jobId, itemIndex);
	if (typeof job.videoId === 'string' && job.videoId !== '') return job.videoId;
	throw new NodeOperationError(context.getNode(), `Job ${jobId} has no video to delete`, {
		itemIndex,
		description: 'Colossyan did not name a video for this job. To stop a job that is still running, use Video Job → Cancel.',
	});
}
