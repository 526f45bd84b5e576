/**
 * A download body that survives a connection breaking mid-way, without ever
 * splicing two versions of a file: the rest is asked for with
 * `Range: bytes=<received>-` and `If-Range: <validator>` (the first answer's
 * strong ETag, else its Last-Modified), and taken only when the server answers
 * 206 with exactly the Content-Range asked for and the same validator. A file
 * that changed (a 200 to the resume, another ETag or date), or one whose first
 * answer had no validator, is not resumed: the body fails, nothing is stored.
 * At most a few resumes; the caller's length check still sees the whole body.
 *
 * The transport (http/loop.ts) applies this to every streamed GET, so no
 * download can skip it.
 */
import type { Readable } from 'node:stream';

import type { ApiResponse, ResponseHeaders } from './http/types';
import { WatchedBody } from './http/watchedBody';

/** Resumes per download: a flaky link gets a few chances, never an endless loop. */
export const MAX_RESUMES = 3;

/** Asks for the body from `offset` on, with `ifRange` as the If-Range header. */
export type ReopenAt = (offset: number, ifRange: string) => Promise<ApiResponse<Readable>>;

export class ResumeRefusedError extends Error {}

/** What the first answer said its file is: the value sent as If-Range, and what a 206 must repeat. */
interface Validator {
	ifRange: string;
	etag?: string;
	lastModified?: string;
}

/** The body of `first`, resumed with `reopen` when it breaks; unchanged when it cannot be resumed (not a 200, no length). */
export function resumableBody(first: ApiResponse<Readable>, reopen: ReopenAt, maxResumes = MAX_RESUMES): Readable {
	// A compressed answer counts decoded bytes against an encoded length, and a Range is an offset
	// into the encoding: never resumed (a cut gzip stream fails in its own decoder).
	const total = first.statusCode === 200 && !isContentEncoded(first.headers) ? lengthOf(first.headers) : undefined;
	if (total === undefined) return first.body;
	const validator = validatorOf(first.headers);
	// The body the transport hands over is watched already: resuming adds no stream in between.
	const body = first.body instanceof WatchedBody ? first.body : new WatchedBody(first.body);
	return body.resumeWith(
		total,
		async (offset) => {
			if (!validator) {
				throw new ResumeRefusedError(
					`the connection broke after ${offset} of ${total} bytes, and the server gave no ETag or Last-Modified to resume it safely`,
				);
			}
			return await resumeAt(reopen, offset, total, validator);
		},
		maxResumes,
	);
}

async function resumeAt(reopen: ReopenAt, offset: number, total: number, validator: Validator): Promise<Readable> {
	const response = await reopen(offset, validator.ifRange);
	const problem = mismatch(response, offset, total, validator);
	if (problem !== undefined) {
		response.body.destroy();
		throw new ResumeRefusedError(`the connection broke after ${offset} of ${total} bytes and it was not resumed: ${problem}`);
	}
	return response.body;
}

/** Why a resume answer is not the rest of the same file, or undefined when it is. */
function mismatch(response: ApiResponse<Readable>, offset: number, total: number, validator: Validator): string | undefined {
	const { statusCode, headers } = response;
	if (statusCode === 200) return 'the file changed on the server since the download began (it sent the whole file again)';
	const range = headerOf(headers, 'content-range');
	if (statusCode !== 206 || range !== `bytes ${offset}-${total - 1}/${total}`) {
		return `the server answered ${statusCode}${range ? ` with ${range}` : ''} instead of bytes ${offset}-${total - 1}/${total}`;
	}
	// A validator the 206 repeats must be the first answer's (a server that ignores If-Range would
	// otherwise splice two versions): the ETag, weak or strong, and no new one; the one sent as
	// If-Range must come back.
	const etag = headerOf(headers, 'etag')?.trim() || undefined;
	const needsEtag = validator.ifRange === validator.etag;
	if ((needsEtag || etag !== undefined) && etag !== validator.etag) {
		return `the file changed on the server since the download began (ETag ${validator.etag ?? 'none'}, now ${etag ?? 'none'})`;
	}
	// RFC 9110 does not make a 206 repeat Last-Modified: where a strong ETag vouches for the file, a
	// missing one is fine; where Last-Modified is the only validator, it must come back the same.
	const lastModified = headerOf(headers, 'last-modified')?.trim() || undefined;
	const needsLastModified = validator.ifRange === validator.lastModified;
	if ((needsLastModified || lastModified !== undefined) && lastModified !== validator.lastModified) {
		return `the file changed on the server since the download began (Last-Modified ${validator.lastModified ?? 'none'}, now ${lastModified ?? 'none'})`;
	}
	return undefined;
}

/** A strong ETag, else Last-Modified (RFC 9110 13.1.5: never a weak ETag in If-Range). */
function validatorOf(headers: ResponseHeaders): Validator | undefined {
	const etag = headerOf(headers, 'etag')?.trim() || undefined;
	const lastModified = headerOf(headers, 'last-modified')?.trim() || undefined;
	if (etag && /^"[^"]*"$/.test(etag)) return { ifRange: etag, etag, lastModified };
	if (lastModified && !Number.isNaN(Date.parse(lastModified))) return { ifRange: lastModified, etag, lastModified };
	return undefined;
}

/** The body is sent compressed (gzip, br, …): its Content-Length counts encoded bytes. */
export function isContentEncoded(headers: ResponseHeaders): boolean {
	const coding = headerOf(headers, 'content-encoding')?.trim().toLowerCase();
	return coding !== undefined && coding !== '' && coding !== 'identity';
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
