/**
 * What Generate and Download Zip share after the ids exist: waiting until the
 * generations settle (bounded requests a round, growing intervals) and
 * downloading a finished video into binary data.
 */
import type { IBinaryData, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import { streamToBinary } from '../../shared/download';
import { videoFileName } from '../../shared/fileNames';
import type { ApiResponse } from '../../shared/http';
import type { PollSchedule } from '../../shared/waiting';
import { pollUntil } from '../../shared/waiting';
import { rotateProductRequest } from '../transport';
import { lookupGenerations } from './lookup';
import { isSettled } from './status';
import { serverTime } from '../../shared/time';
import type { GenerationSummary } from './types';
import { VIDEO_RETENTION_MS } from './types';

export interface WaitResult {
	generations: Map<number, GenerationSummary>;
	timedOut: boolean;
	rounds: number;
}

export async function waitForGenerations(
	context: IExecuteFunctions,
	ids: number[],
	schedule: PollSchedule,
	/** Filled as states arrive, so a caller still has them when the wait fails. */
	latest = new Map<number, GenerationSummary>(),
	/** Ids this account does not have are left out instead of failing (Download Zip). */
	options: { skipUnknown?: boolean } = {},
): Promise<WaitResult> {
	const unknown = new Set<number>();
	const settled = (id: number) => unknown.has(id) || (latest.has(id) && isSettled(latest.get(id) as GenerationSummary));
	const outcome = await pollUntil(
		context,
		async () => {
			const pending = ids.filter((id) => !settled(id));
			const fresh = await lookupGenerations(context, pending, options);
			for (const [id, generation] of fresh) latest.set(id, generation);
			if (options.skipUnknown) for (const id of pending) if (!fresh.has(id)) unknown.add(id);
			return latest;
		},
		() => ids.every(settled),
		schedule,
	);
	return { generations: latest, timedOut: outcome.timedOut, rounds: outcome.checks };
}

/** Opens the mp4 of a generation as a stream (the body is not read yet; the transport resumes it where it breaks). */
export async function openGenerationVideo(
	context: IExecuteFunctions | IPollFunctions,
	generation: GenerationSummary,
	itemIndex?: number,
	serverNow?: number,
): Promise<ApiResponse<Readable>> {
	return await rotateProductRequest<Readable>(context, {
		method: 'GET',
		path: `/generations/${generation.id}`,
		encoding: 'stream',
		itemIndex,
		notFound: videoNotFound(generation, serverNow),
	});
}

/** The video's body (the transport resumes it with Range and If-Range where the connection breaks mid-way). */
export async function generationVideoBody(
	context: IExecuteFunctions | IPollFunctions,
	generation: GenerationSummary,
	itemIndex?: number,
	serverNow?: number,
): Promise<ApiResponse<Readable>> {
	return await openGenerationVideo(context, generation, itemIndex, serverNow);
}

/** Streams one generation's mp4 into n8n's binary storage. */
export async function downloadGenerationVideo(
	context: IExecuteFunctions | IPollFunctions,
	generation: GenerationSummary,
	itemIndex?: number,
	/** The server's time shortly before (a Date header), to tell an expired video in a 404. */
	serverNow?: number,
): Promise<IBinaryData> {
	const response = await generationVideoBody(context, generation, itemIndex, serverNow);
	return await streamToBinary(context, response.body, response.headers, {
		fileName: videoFileName(generation.external_id, generation.id, 'generation'),
		mimeType: 'video/mp4',
		itemIndex,
		what: `generation ${generation.id}`,
	});
}

/**
 * What a 404 on the video means. The video page says 404 when the video is
 * missing or expired (410 when expired): past the retention, by the server's
 * clock, it probably expired.
 */
export function videoNotFound(generation: GenerationSummary, serverNow?: number): string {
	const plain = `no video for generation ${generation.id} in this account (status: ${generation.status})`;
	const created = serverTime(generation.created_at);
	if (created === undefined || serverNow === undefined) return plain;
	if (serverNow - created < VIDEO_RETENTION_MS) return plain;
	return `no video for generation ${generation.id}: it was created ${new Date(created).toISOString()} (server time), more than ${VIDEO_RETENTION_MS / 3_600_000} hour ago, so it has probably expired (RotateProduct keeps videos 1 hour)`;
}
