/** The reads every Colossyan operation builds on, each saying what a 404 means. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from '../../shared/context';
import { plainIdProblem, shownId } from '../../shared/ids';
import { colossyanJson, colossyanRequest } from '../transport';
import type { CreatedAvatar, GeneratedVideo, VideoJob } from './types';
import type { InstantAvatarRequest } from './validation';

export async function getJob(context: ApiContext, jobId: string, itemIndex?: number): Promise<VideoJob> {
	return await colossyanJson<VideoJob>(context, {
		method: 'GET',
		path: `/video-generation-jobs/${pathId(context, jobId, 'job', itemIndex)}`,
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
		path: `/generated-videos/${pathId(context, videoId, 'video', itemIndex)}`,
		itemIndex,
		notFound: `no generated video ${videoId} in this workspace`,
	});
}

/**
 * Ids reach paths from fields, API answers and callbacks: a last check before
 * any request, so `..` can never turn into another endpoint.
 */
export function pathId(context: ApiContext, id: string, what: string, itemIndex?: number): string {
	const problem = plainIdProblem(id);
	if (problem) {
		throw new NodeOperationError(context.getNode(), `${shownId(id)} is not a ${what} ID`, {
			itemIndex,
			description: `Not an ID: ${problem}. Nothing was sent to Colossyan.`,
		});
	}
	return encodeURIComponent(id);
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


/**
 * `POST /assets/actors`: an Instant Avatar from a video file. Sent as `paid`
 * (creates something): when its answer is lost it is not sent again, so no
 * second avatar appears.
 */
export async function createInstantAvatar(
	context: ApiContext,
	avatar: InstantAvatarRequest,
	itemIndex?: number,
): Promise<CreatedAvatar> {
	const created = await colossyanJson<Partial<CreatedAvatar>>(context, {
		method: 'POST',
		path: '/assets/actors',
		body: { ...avatar },
		paid: true,
		itemIndex,
	});
	if (typeof created.name === 'string' && created.name !== '') return { name: created.name };
	throw new NodeOperationError(context.getNode(), 'Colossyan created the avatar but did not say its name', {
		itemIndex,
		description: 'Find the new avatar in Colossyan (Instant Avatars) and use its name as the avatar in Generate. Do not run the node again, or a second avatar is made.',
	});
}
