/** The reads every Colossyan operation builds on, each saying what a 404 means. */
import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from '../../shared/context';
import { colossyanJson, colossyanRequest } from '../transport';
import type { GeneratedVideo, VideoJob } from './types';

export async function getJob(context: ApiContext, jobId: string, itemIndex?: number): Promise<VideoJob> {
	return await colossyanJson<VideoJob>(context, {
		method: 'GET',
		path: `/video-generation-jobs/${encodeURIComponent(jobId)}`,
		itemIndex,
		notFound: `no video generation job ${jobId} in this workspace`,
	});
}

export async function getGeneratedVideo(
	context: ApiContext,
	videoId: string,
	itemIndex?: number,
): Promise<GeneratedVideo> {
	return await colossyanJson<GeneratedVideo>(context, {
		method: 'GET',
		path: `/generated-videos/${encodeURIComponent(videoId)}`,
		itemIndex,
		notFound: `no generated video ${videoId} in this workspace`,
	});
}

export async function listAssets(context: ApiContext, kind: 'actors' | 'voices'): Promise<IDataObject[]> {
	const { body } = await colossyanRequest<unknown>(context, { method: 'GET', path: `/assets/${kind}` });
	return assetArray(body);
}

/** The list may come bare or wrapped (`{ data: [...] }`); the schema of voices is not published. */
function assetArray(body: unknown): IDataObject[] {
	const list = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
	return Array.isArray(list) ? list.filter((entry): entry is IDataObject => entry !== null && typeof entry === 'object') : [];
}

