/**
 * A download body that survives a connection breaking mid-way: it asks again
 * with `Range: bytes=<received>-` and goes on from there, but only when the
 * server answers 206 with exactly the Content-Range asked for, and at most a
 * few times. Anything else fails the stream, so the caller stores nothing; the
 * caller's length check still sees the whole body and checks it against the
 * full length of the first answer.
 */
import type { Readable } from 'node:stream';

import type { ApiResponse, ResponseHeaders } from './http';
import { WatchedBody } from './http/watchedBody';

/** Resumes per download: a flaky link gets a few chances, never an endless loop. */
export const MAX_RESUMES = 3;

export type ReopenAt = (offset: number) => Promise<ApiResponse<Readable>>;

export class ResumeRefusedError extends Error {}

/** The body of `first`, resumed with `reopen` when it breaks; unchanged when it cannot be resumed (no length). */
export function resumableBody(first: ApiResponse<Readable>, reopen: ReopenAt, maxResumes = MAX_RESUMES): Readable {
	const total = first.statusCode === 200 ? lengthOf(first.headers) : undefined;
	if (total === undefined) return first.body;
	// The body the transport hands over is watched already: resuming adds no stream in between.
	const body = first.body instanceof WatchedBody ? first.body : new WatchedBody(first.body);
	return body.resumeWith(total, async (offset) => await resumeAt(reopen, offset, total), maxResumes);
}

async function resumeAt(reopen: ReopenAt, offset: number, total: number): Promise<Readable> {
	const response = await reopen(offset);
	const range = headerOf(response.headers, 'content-range');
	if (response.statusCode !== 206 || range !== `bytes ${offset}-${total - 1}/${total}`) {
		response.body.destroy();
		throw new ResumeRefusedError(
			`the connection broke after ${offset} of ${total} bytes and the server did not resume it (answered ${response.statusCode}${range ? `, ${range}` : ''})`,
		);
	}
	return response.body;
}

function lengthOf(headers: ResponseHeaders): number | undefined {
	const raw = headerOf(headers, 'content-length');
	const value = Number(raw);
	return raw !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function headerOf(headers: ResponseHeaders, name: string): string | undefined {
	const raw = headers[name];
	return Array.isArray(raw) ? raw[0] : raw;
}
