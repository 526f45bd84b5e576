/**
 * From a job or video id to the file: the job says whether it finished, the
 * generated video gives `publicUrl`, and the file streams from there into
 * binary data without the API token (the file host is not the API).
 */
import type { Readable } from 'node:stream';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from '../../shared/context';
import type { BinaryContext } from '../../shared/download';
import { checkedStream, streamToBinary } from '../../shared/download';
import type { ApiResponse } from '../../shared/http';
import { httpStatusOf } from '../../shared/http';
import { videoFileName } from '../../shared/fileNames';
import { isoServerTime } from '../../shared/time';
import { colossyanFileStream } from '../transport';
import { getGeneratedVideo, getJob } from './api';
import { jobState, progressPercent, wasDeleted } from './status';
import { parseColossyanId } from './validation';
import type { GeneratedVideo, VideoJob } from './types';

export type VideoReference = { by: 'job' | 'video'; id: string };

/** The item's ID Type and ID fields (Get Video, Download), checked before any request. */
export function readVideoReference(context: IExecuteFunctions, itemIndex: number): VideoReference {
	const by = context.getNodeParameter('idType', itemIndex, 'job') as VideoReference['by'];
	return { by, id: parseColossyanId(context, context.getNodeParameter('id', itemIndex), by, itemIndex) };
}

/**
 * A generated video as the nodes output it: the API's fields (the subtitles in
 * `vttSubtitleString` among them) and `publicUrlIsTemporary`, because the next
 * node may otherwise store a URL that stops working.
 */
export function videoJson(video: GeneratedVideo): IDataObject {
	// Service times leave in one form (ISO with Z), read the one way (shared/time.ts).
	const json: IDataObject = { ...video, ...('createdAt' in video ? { createdAt: isoServerTime(video.createdAt) } : {}) };
	return typeof video.publicUrl === 'string' && video.publicUrl !== '' ? { ...json, publicUrlIsTemporary: true } : json;
}

/** What to do once a video or its file is gone (Colossyan does not publish how long it keeps either). */
const GONE_ADVICE =
	'Generated videos do not stay forever and their publicUrl is temporary. Download the file as soon as the video is finished (Generate with "Download Video", or the Colossyan Trigger) and store the file, not the URL. If the video expired or was deleted, generate it again.';

/**
 * A 404 or 410 where a video should be, reworded in place to say it probably
 * expired (its HTTP status is kept: Download Zip lists such videos as not found).
 */
export function explainGone(error: unknown, id: string, certain: boolean): unknown {
	const status = httpStatusOf(error);
	if ((status !== 404 && status !== 410) || !(error instanceof Error)) return error;
	error.message =
		status === 410 || certain
			? `Video ${id} is gone: it has probably expired or been deleted (Colossyan answered ${status})`
			: `Video ${id} was not found: it has probably expired or been deleted, or the ID belongs to another workspace`;
	(error as { description?: string }).description = certain
		? GONE_ADVICE
		: `Check the ID, and that the credential's token belongs to the video's workspace. ${GONE_ADVICE}`;
	return error;
}

/**
 * The generated video; a 404 or 410 says it probably expired. `viaJob`: the id
 * came from a finished job, so the video certainly existed.
 */
export async function fetchVideo(
	context: ApiContext,
	videoId: string,
	itemIndex?: number,
	viaJob = false,
): Promise<GeneratedVideo> {
	try {
		return await getGeneratedVideo(context, videoId, itemIndex);
	} catch (error) {
		throw explainGone(error, videoId, viaJob);
	}
}

export type VideoLookup =
	/** `videoId`: the id the video was asked for with (the answer's own `id` is Colossyan's word). */
	| { ready: true; video: GeneratedVideo; videoId: string; job?: VideoJob }
	| { ready: false; reference: VideoReference; job?: VideoJob };

/** Finds the video behind a reference; a 404 is thrown (the caller decides what it means). */
export async function lookupVideo(
	context: ApiContext,
	reference: VideoReference,
	itemIndex?: number,
): Promise<VideoLookup> {
	let job: VideoJob | undefined;
	let videoId = reference.id;
	if (reference.by === 'job') {
		job = await getJob(context, reference.id, itemIndex);
		if (jobState(job.status) !== 'done' || !job.videoId) return { ready: false, reference, job };
		videoId = job.videoId;
	}
	const video = await fetchVideo(context, videoId, itemIndex, job !== undefined);
	if (typeof video.publicUrl !== 'string' || video.publicUrl === '') return { ready: false, reference, job };
	return { ready: true, video, videoId, job };
}

/** Looks the video up and fails with the job's status and progress when it has no file yet. */
export async function readyVideo(
	context: IExecuteFunctions,
	reference: VideoReference,
	itemIndex: number,
): Promise<{ video: GeneratedVideo; job?: VideoJob }> {
	const found = await lookupVideo(context, reference, itemIndex);
	if (found.ready) return found;
	throw notReadyError(context, found, itemIndex);
}

function notReadyError(
	context: IExecuteFunctions,
	found: Extract<VideoLookup, { ready: false }>,
	itemIndex: number,
): NodeOperationError {
	const { job, reference } = found;
	if (job && jobState(job.status) === 'failed') {
		return new NodeOperationError(context.getNode(), `Job ${job.id} ${wasDeleted(job.status) ? 'was deleted' : 'failed'}: it has no video`, {
			itemIndex,
			description: 'Create the video again; check the script, avatar and template in Colossyan.',
		});
	}
	const where = job
		? `Job ${job.id} is not finished yet (status: ${job.status}, ${progressPercent(job)}% done)`
		: `Video ${reference.id} has no file yet`;
	return new NodeOperationError(context.getNode(), where, {
		itemIndex,
		description:
			'Colossyan takes a few minutes per video. Use Generate with "Wait for Completion", or the Colossyan Trigger, to download it once it is finished.',
	});
}

export async function downloadVideoFile(
	context: BinaryContext,
	file: { url: string; name?: string | null; id: string; sizeBytes?: number },
	itemIndex?: number,
): Promise<IBinaryData> {
	const response = await fileBody(context, file.url, file.id, itemIndex);
	return await streamToBinary(context, response.body, response.headers, {
		fileName: videoFileName(file.name, file.id, 'video'),
		mimeType: 'video/mp4',
		itemIndex,
		what: `video ${file.id}`,
		knownBytes: file.sizeBytes,
	});
}

export async function downloadGeneratedVideo(
	context: BinaryContext,
	video: GeneratedVideo,
	itemIndex?: number,
): Promise<IBinaryData> {
	const file = { url: video.publicUrl as string, name: video.name, id: video.id, sizeBytes: knownSize(video) };
	return await downloadVideoFile(context, file, itemIndex);
}

/**
 * The file of a generated video as a stream that fails if it ends short or is not
 * the size Colossyan reports (for zip entries). The video is asked for again first:
 * entries open one after another, long after the zip was planned, and a publicUrl
 * is temporary.
 */
export async function openVideoFile(context: ApiContext, videoId: string, itemIndex?: number): Promise<Readable> {
	const video = await fetchVideo(context, videoId, itemIndex, true);
	if (typeof video.publicUrl !== 'string' || video.publicUrl === '') {
		throw new NodeOperationError(context.getNode(), `Video ${videoId} no longer has a file`, { itemIndex, description: GONE_ADVICE });
	}
	const response = await fileBody(context, video.publicUrl, video.id, itemIndex);
	return checkedStream(response.body, response.headers, knownSize(video));
}

/** The size Colossyan reports for the file: a body of any other length is not the video. */
function knownSize(video: GeneratedVideo): number | undefined {
	const size = video.videoSizeBytes;
	return typeof size === 'number' && Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

/** A file's body (the transport resumes it with Range and If-Range where the connection breaks mid-way). */
async function fileBody(context: ApiContext, url: string, id: string, itemIndex?: number): Promise<ApiResponse<Readable>> {
	return await colossyanFileStream(context, url, itemIndex).catch((error: unknown) => {
		throw fileGone(error, id, url);
	});
}

/** The public URL answered 404 or 410 right after the API handed it out: the file is gone. */
function fileGone(error: unknown, id: string, url: string): unknown {
	const status = httpStatusOf(error);
	if ((status !== 404 && status !== 410) || !(error instanceof Error)) return error;
	error.message = `The file of video ${id} is gone from its public URL: it has probably expired (the file host ${new URL(url).origin} answered status ${status})`;
	(error as { description?: string }).description = `Run the node again for a fresh link (the public URL is temporary); if that fails too, the video has expired or was deleted in Colossyan. ${GONE_ADVICE}`;
	return error;
}
