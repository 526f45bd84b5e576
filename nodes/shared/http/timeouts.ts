/**
 * Nothing waits forever. Every request has a response timeout (n8n's request
 * helper `timeout`: axios aborts when no answer arrives in time, and for JSON
 * answers also when the body stops for that long), and every streamed body a
 * stall timeout (no bytes for that long), which axios does not cover once the
 * headers are in. Both come from the node's Options (Response Timeout, Stall
 * Timeout), in any context: executions, polls, webhooks.
 */
import type { Readable } from 'node:stream';
import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from '../context';
import { WatchedBody } from './watchedBody';

export interface RequestTimeouts {
	/** No answer (status and headers) within this long: the request fails. */
	responseMs: number;
	/** No byte of a streamed body within this long: the body fails. */
	stallMs: number;
}

/**
 * A minute each: both APIs answer in well under a second (a 600-item bulk
 * create in a few), and a CDN that sends nothing for a minute mid-file has
 * stopped; a minute also keeps one stuck request well inside n8n's shortest
 * poll interval's order of magnitude, instead of holding a poll or webhook for good.
 */
export const DEFAULT_TIMEOUTS: RequestTimeouts = { responseMs: 60_000, stallMs: 60_000 };

/** The collection every operation and trigger of this package shows its timeouts in: its Options. */
export const TIMEOUTS_PARAMETER = 'options';

const MIN_TIMEOUT_MS = 50;

/** The timeouts set in the node's Options, or the defaults where it sets none. */
export function timeoutsOf(context: ApiContext, itemIndex = 0): RequestTimeouts {
	const raw = (
		'getInputData' in context
			? context.getNodeParameter(TIMEOUTS_PARAMETER, itemIndex, {})
			: context.getNodeParameter(TIMEOUTS_PARAMETER, {})
	) as IDataObject | undefined;
	return {
		responseMs: toMs(raw?.responseTimeoutSeconds, DEFAULT_TIMEOUTS.responseMs),
		stallMs: toMs(raw?.stallTimeoutSeconds, DEFAULT_TIMEOUTS.stallMs),
	};
}

function toMs(seconds: unknown, fallback: number): number {
	const value = Number(seconds);
	if (seconds === undefined || seconds === '' || !Number.isFinite(value) || value <= 0) return fallback;
	return Math.max(MIN_TIMEOUT_MS, Math.round(value * 1000));
}

/** "60 s", "0.3 s": how the timeouts are named in messages. */
export function inSeconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(2))} s`;
}

export class StalledBodyError extends Error {
	readonly code = 'ESTALLED';

	constructor(readonly stallMs: number) {
		super(`no data arrived for ${inSeconds(stallMs)}`);
	}
}

/**
 * The body, failing with StalledBodyError when no byte arrives for `stallMs`
 * while its reader is ready for more. Destroying the returned stream destroys
 * the body (and its socket) too.
 */
export function withStallTimeout(body: Readable, stallMs: number): WatchedBody {
	const watched = new WatchedBody(body);
	watch(watched, stallMs);
	return watched;
}

/**
 * One timer at a time, re-armed for what is left of the window. AbortSignal.timeout's
 * timer is unref'd, so a finished download leaves nothing that holds the process.
 */
function watch(mark: WatchedBody, stallMs: number): void {
	const check = (): void => {
		if (mark.destroyed || mark.readableEnded) return;
		if (mark.waitsForReader) mark.lastProgressAt = Date.now();
		const idle = Date.now() - mark.lastProgressAt;
		if (idle >= stallMs) {
			mark.breakSource(new StalledBodyError(stallMs));
			// A resumed body goes on being watched; one that failed stops the timer above.
			AbortSignal.timeout(stallMs).addEventListener('abort', check, { once: true });
			return;
		}
		AbortSignal.timeout(stallMs - idle).addEventListener('abort', check, { once: true });
	};
	AbortSignal.timeout(stallMs).addEventListener('abort', check, { once: true });
}

/**
 * The whole answer of an API call (status, headers and a JSON body) did not arrive within
 * the response timeout. An idle timeout alone lets a server that sends one byte just
 * before each timeout hold a request (and a poll, or a webhook) forever.
 */
export class ResponseTimeoutError extends Error {
	readonly code = 'ETIMEDOUT';

	constructor(readonly timeoutMs: number) {
		super(`timeout of ${timeoutMs}ms exceeded`);
	}
}

/** Runs `then` once `ms` have passed, unless the returned function is called first. */
function afterMs(ms: number, then: () => void): () => void {
	const signal = AbortSignal.timeout(Math.max(1, ms));
	signal.addEventListener('abort', then, { once: true });
	return () => signal.removeEventListener('abort', then);
}

/**
 * `work`, or ResponseTimeoutError when it has not settled by `deadlineAt`. A late
 * result is handed to `late` (to free its socket); `onTimeout` lets the caller abort it.
 */
export async function beforeDeadline<T>(
	work: Promise<T>,
	deadline: { at: number; timeoutMs: number; late: (value: T) => void; onTimeout: () => void },
): Promise<T> {
	let timedOut = false;
	return await new Promise<T>((resolve, reject) => {
		const cancel = afterMs(deadline.at - Date.now(), () => {
			timedOut = true;
			deadline.onTimeout();
			reject(new ResponseTimeoutError(deadline.timeoutMs));
		});
		work.then(
			(value) => {
				cancel();
				if (timedOut) deadline.late(value);
				else resolve(value);
			},
			(error: unknown) => {
				cancel();
				if (!timedOut) reject(error);
			},
		);
	});
}

/**
 * A whole (non-streamed) body, up to `limit` bytes, failing with StalledBodyError when no
 * byte comes for `stallMs` and with ResponseTimeoutError once `deadline.at` has passed.
 */
export async function readBodyWithin(
	body: Readable,
	stallMs: number,
	deadline: { at: number; timeoutMs: number },
	limit = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
	const watched = withStallTimeout(body, stallMs);
	const cancel = afterMs(deadline.at - Date.now(), () => watched.destroy(new ResponseTimeoutError(deadline.timeoutMs)));
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of watched) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			chunks.push(buffer);
			size += buffer.length;
			if (size >= limit) break;
		}
	} finally {
		cancel();
		watched.destroy();
	}
	return Buffer.concat(chunks).subarray(0, limit);
}
