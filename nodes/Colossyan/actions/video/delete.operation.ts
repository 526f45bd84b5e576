/**
 * Delete Video: `DELETE /generated-videos/:videoId`. Not paid, but it cannot be
 * undone. By job ID the job names its video first; every id is checked before
 * any request.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { earlierAttemptMayHaveBeenProcessed, httpStatusOf } from '../../../shared/http';
import { eachCheckedItem } from '../../../shared/items';
import { getJob, pathId } from '../../helpers/api';
import type { VideoReference } from '../../helpers/video';
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

export const effect = 'destructive';

/** Every item's ID is checked before any item's video is deleted (shared/items.ts). */
export const checksFirst = eachCheckedItem(checkReference, deleteVideo);

function checkReference(context: IExecuteFunctions, itemIndex: number): VideoReference {
	const reference = readVideoReference(context, itemIndex);
	if (reference.by === 'video') pathId(context, reference.id, 'video', itemIndex);
	return reference;
}

async function deleteVideo(context: IExecuteFunctions, reference: VideoReference, itemIndex: number): Promise<INodeExecutionData> {
	const jobId = reference.by === 'job' ? reference.id : undefined;
	const videoId = jobId === undefined ? reference.id : await videoOfJob(context, jobId, itemIndex);
	const path = `/generated-videos/${pathId(context, videoId, 'video', itemIndex)}`;
	const json: IDataObject = { ...(jobId === undefined ? {} : { jobId }), videoId, deleted: true };
	try {
		await colossyanRequest(context, { method: 'DELETE', path, itemIndex });
	} catch (error) {
		// DELETE is idempotent: a 404 after an attempt whose answer was lost is that attempt's deletion.
		if (httpStatusOf(error) === 404 && earlierAttemptMayHaveBeenProcessed(error)) return { json: { ...json, note: LOST_ANSWER_NOTE } };
		// A 404 or 410: already deleted, expired, or another workspace's (worded like Get and Download).
		throw explainGone(error, videoId, false);
	}
	return { json };
}

const LOST_ANSWER_NOTE =
	'Deleted: the answer to the first DELETE was lost (the connection broke), so it was sent again, and Colossyan then answered 404 (the video is gone).';

async function videoOfJob(context: IExecuteFunctions, jobId: string, itemIndex: number): Promise<string> {
	const job = await getJob(context, jobId, itemIndex);
	if (typeof job.videoId === 'string' && job.videoId !== '') return job.videoId;
	throw new NodeOperationError(context.getNode(), `Job ${jobId} has no video to delete`, {
		itemIndex,
		description: 'Colossyan did not name a video for this job. To stop a job that is still running, use Video Job → Cancel.',
	});
}
