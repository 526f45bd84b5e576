/**
 * From a job or video id to the file: the job says whether it finished, the
 * generated video gives `publicUrl`, and the file streams from there into
 * binary data without the API token (the file host is not the API).
 */
import type { Readable } from 'node:stream';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from '../../shared/context';
import type { BinaryContext } from '../../shared/download';
import { checkedStream, streamToBinary } from '../../shared/download';
import type { ApiResponse } from '../../shared/http';
import { videoFileName } from '../../shared/fileNames';
import { colossyanFileStream } from '../transport';
import { getGeneratedVideo, getJob } from './api';
import { progressPercent } from './status';
import { parseColossyanId } from './validation';
import type { GeneratedVideo, VideoJob } from './types';

export type VideoReference = { by: 'job' | 'video'; id: string };

/** The item's ID Type and ID fields (Get Video, Download), checked before any request. */
export function readVideoReference(context: IExecuteFunctions, itemIndex: number): VideoReference {
	const by = context.getNodeParameter('idType', itemIndex, 'job') as VideoReference['by'];
	return { by, id: parseColossyanId(context, context.getNodeParameter('id', itemIndex), by, itemIndex) };
}

export type VideoLookup =
	| { ready: true; video: GeneratedVideo; job?: VideoJob }
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
		if (job.status !== 'finished' || !job.videoId) return { ready: false, reference, job };
		videoId = job.videoId;
	}
	const video = await getGeneratedVideo(context, videoId, itemIndex);
	if (typeof video.publicUrl !== 'string' || video.publicUrl === '') return { ready: false, reference, job };
	return { ready: true, video, job };
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
	if (job && (job.status === 'failed' || job.status === 'deleted')) {
		return new NodeOperationError(context.getNode(), `Job ${job.id} ${job.status === 'failed' ? 'failed' : 'was deleted'}: it has no video`, {
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
	const response = await fileBody(context, file.url, itemIndex);
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

/** The file of a generated video as a stream that fails if it ends short (for zip entries). */
export async function openVideoFile(context: ApiContext, video: GeneratedVideo, itemIndex?: number): Promise<Readable> {
	const response = await fileBody(context, video.publicUrl as string, itemIndex);
	return checkedStream(response.body, response.headers, knownSize(video));
}

/** The size Colossyan reports for the file: a body of any other length is not the video. */
function knownSize(video: GeneratedVideo): number | undefined {
	const size = video.videoSizeBytes;
	return typeof size === 'number' && Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

/** A file's body (the transport resumes it where the connection breaks mid-way). */
async function fileBody(context: ApiContext, url: string, itemIndex?: number): Promise<ApiResponse<Readable>> {
	return await colossyanFileStream(context, url, itemIndex);
}
