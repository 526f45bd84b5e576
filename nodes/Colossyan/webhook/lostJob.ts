/**
 * A job whose creation answer was lost: its item is an error item ("may have
 * processed this request"), yet Colossyan may call back to that item's signed
 * URL. The callback body names no job, so the job is looked for from what it
 * does carry (the ids in its `videoUrl`, `shareUrl`, `url`), and accepted only
 * when Colossyan's own job record names this item's signed callback URL: the
 * body suggests, the API decides. Unconfirmed: the callback is refused as before.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isPlainId } from '../../shared/ids';
import { getGeneratedVideo, getJob } from '../helpers/api';
import type { VideoJob } from '../helpers/types';
import { verifiedResumeCall } from './resumeUrl';

/** At most this many ids are tried per callback (bounded cost). */
const MAX_CANDIDATES = 3;

/** The ids a callback's URLs end with (e.g. `/share/<id>`, `/videos/<id>.mp4`). */
function candidateVideoIds(body: IDataObject): string[] {
	const ids = new Set<string>();
	for (const field of ['videoUrl', 'shareUrl', 'url']) {
		const text = body[field];
		if (typeof text !== 'string') continue;
		try {
			const last = new URL(text).pathname.split('/').filter(Boolean).pop() ?? '';
			const id = decodeURIComponent(last).replace(/\.[a-z0-9]{2,4}$/i, '');
			if (isPlainId(id)) ids.add(id);
		} catch {
			// Not a URL: nothing to try.
		}
	}
	return [...ids].slice(0, MAX_CANDIDATES);
}

/** Whether the job was created with this execution's signed callback URL for this item. */
function calledBackTo(job: VideoJob, token: string, executionId: string, nodeId: string, itemIndex: number): boolean {
	const url = typeof job.callback === 'string' ? job.callback : job.callbackUrl;
	if (typeof url !== 'string') return false;
	try {
		const query = Object.fromEntries(new URL(url).searchParams.entries());
		return verifiedResumeCall(query, token, executionId, nodeId)?.itemIndex === itemIndex;
	} catch {
		return false;
	}
}

/** The job behind a callback to `itemIndex`'s signed URL, when Colossyan's API confirms it; else undefined. */
export async function confirmedLostJob(context: IWebhookFunctions, token: string, itemIndex: number): Promise<VideoJob | undefined> {
	const body = context.getBodyData() as IDataObject;
	if (body === null || typeof body !== 'object') return undefined;
	for (const videoId of candidateVideoIds(body)) {
		try {
			const video = await getGeneratedVideo(context, videoId, itemIndex);
			if (typeof video.jobId !== 'string' || !isPlainId(video.jobId)) continue;
			const job = await getJob(context, video.jobId, itemIndex);
			if (calledBackTo(job, token, context.getExecutionId(), context.getNode().id, itemIndex)) return job;
		} catch {
			// Not this workspace's video or job, or unreadable now: try the next id.
		}
	}
	return undefined;
}
