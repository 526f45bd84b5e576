/**
 * The one request loop: every request of both services, authenticated or not,
 * goes through it. It follows redirects itself (redirects.ts), applies the
 * timeouts (timeouts.ts), retries as the service's retry policy says (declared
 * in its transport, decided by retry.ts), resumes every download that breaks
 * (../resumableBody.ts), and builds every error through one scrubbing function
 * (errors.ts).
 */
import type { Readable } from 'node:stream';
import type { IHttpRequestOptions, NodeApiError } from 'n8n-workflow';

import type { ApiContext } from '../context';
import { cancelSignalOf } from '../context';
import { retryDelayFor } from '../retry';
import type { ReopenAt } from '../resumableBody';
import { resumableBody } from '../resumableBody';
import { pause } from '../sleep';
import { certainlyUnsent, isAmbiguousStatus, markEarlierAttemptMayHaveBeenProcessed } from './ambiguous';
import { cancelled, httpFailure, networkErrorCode, networkFailure, redirectFailure, unexpectedFailure } from './errors';
import type { FinalResponse, RedirectPolicy } from './redirects';
import { HopRefused, RedirectRefused, sendFollowingRedirects } from './redirects';
import type { Scrubber } from './scrub';
import type { RequestTimeouts } from './timeouts';
import { beforeDeadline, readBodyWithin, ResponseTimeoutError, StalledBodyError, withStallTimeout } from './timeouts';
import type { ApiRequest, ApiResponse, ResponseHeaders, ServiceDefinition } from './types';

const ERROR_BODY_LIMIT = 64 * 1024;

export interface Exchange {
	service: ServiceDefinition;
	/** How the request is described in errors, and whether it is paid. */
	request: ApiRequest;
	/** The first hop: URL, method, body, encoding. */
	options: IHttpRequestOptions;
	redirects: RedirectPolicy;
	timeouts: RequestTimeouts;
	scrubber: Scrubber;
}

export async function sendWithRetries<Body>(context: ApiContext, exchange: Exchange): Promise<ApiResponse<Body>> {
	const { service, request, scrubber, timeouts } = exchange;
	const signal = cancelSignalOf(context);
	// Every answer arrives as a stream: the loop reads JSON bodies itself, against a deadline.
	const wantsStream = exchange.options.encoding === 'stream';

	// Whether an attempt before this one may have been processed (its answer lost): the last answer may reflect it.
	let earlierMayHaveBeenProcessed = false;
	const marked = <E extends NodeApiError>(error: E): E => (earlierMayHaveBeenProcessed ? markEarlierAttemptMayHaveBeenProcessed(error) : error);
	for (let attempt = 1; ; attempt++) {
		const deadline = { at: Date.now() + timeouts.responseMs, timeoutMs: timeouts.responseMs };
		let response: FinalResponse;
		let body: unknown;
		try {
			response = await answerWithin(context, exchange, deadline, signal);
			if (response.statusCode >= 200 && response.statusCode < 300) {
				body = wantsStream
					? withStallTimeout(response.body as Readable, timeouts.stallMs)
					: scrubber.value(parseMaybeJson((await readBodyWithin(response.body as Readable, timeouts.stallMs, deadline)).toString('utf8')), 'data');
			}
		} catch (error) {
			if (signal?.aborted) throw cancelled(context, request);
			if (error instanceof HopRefused) throw error.reason;
			if (error instanceof RedirectRefused) throw redirectFailure(context, service, request, error.message, scrubber);
			// A JSON body that stalls is a request that did not answer in time: retried like one.
			const code = error instanceof StalledBodyError ? 'ETIMEDOUT' : networkErrorCode(error);
			if (!code) throw unexpectedFailure(context, service, request, error, scrubber);
			const delay = retryDelayFor(service.retryPolicy, { networkError: code }, { paid: request.paid, attempt });
			if (delay === undefined) {
				const problem = { code, unsent: certainlyUnsent(code), timeoutMs: timeoutOf(error, code, timeouts) };
				throw marked(networkFailure(context, service, request, problem, attempt));
			}
			earlierMayHaveBeenProcessed ||= !certainlyUnsent(code);
			await pause(delay, signal);
			continue;
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			const headers = scrubber.value(response.headers as ResponseHeaders, 'data');
			// n8n's client decompresses a compressed answer and drops its Content-Encoding, but not its
			// Content-Length (encoded bytes): said again here, so no length check or resume trusts it.
			if (wantsStream && isDecoder(response.body)) headers['content-encoding'] ??= 'decoded by the client';
			const answer: ApiResponse<Body> = { body: body as Body, headers, statusCode };
			return resumable(context, exchange, answer);
		}

		const errorBody = scrubber.value(await readErrorBody(response.body, timeouts.stallMs, deadline));
		const failure = { statusCode, retryAfter: response.headers['retry-after'] };
		const delay = retryDelayFor(service.retryPolicy, failure, { paid: request.paid, attempt });
		if (delay !== undefined) {
			earlierMayHaveBeenProcessed ||= isAmbiguousStatus(statusCode);
			await pause(delay, signal);
			continue;
		}
		// Public URLs may hand over to a CDN: only an API call's answer from elsewhere is worth saying so.
		const expectedOrigin = exchange.redirects.credential?.origin;
		// A public file URL's answer, or a download's from the CDN it was sent on to: the refusal is the file host's, not about the key.
		const fileHost = expectedOrigin === undefined || (wantsStream && response.url.origin !== expectedOrigin);
		const answer = { statusCode, body: errorBody, request, from: response.url, expectedOrigin, fileHost };
		throw marked(httpFailure(context, service, answer, attempt, scrubber));
	}
}

/**
 * Every streamed GET (a download, wherever it is made) resumes here and only here:
 * the resume is the same exchange sent again from its first URL, so it re-enters
 * the same origin rule hop by hop (the key only on the Base URL's origin, never
 * after a hop elsewhere), with Range and If-Range, and resumableBody checks that
 * what comes back is the rest of the same file.
 */
function resumable<Body>(context: ApiContext, exchange: Exchange, answer: ApiResponse<Body>): ApiResponse<Body> {
	const { options } = exchange;
	const method = options.method ?? 'GET';
	const asksRange = Object.keys(options.headers ?? {}).some((name) => /^range$/i.test(name));
	if (options.encoding !== 'stream' || method !== 'GET' || asksRange) return answer;
	const reopen: ReopenAt = async (offset, ifRange) =>
		await sendWithRetries<Readable>(context, {
			...exchange,
			options: { ...options, headers: { ...options.headers, Range: `bytes=${offset}-`, 'If-Range': ifRange } },
		});
	return { ...answer, body: resumableBody(answer as ApiResponse<Readable>, reopen) as Body };
}

/**
 * Status and headers (redirects followed) by the deadline. axios's own `timeout` is an
 * idle timeout, which headers sent a byte at a time never trip. Where n8n lets the
 * request keep our abort signal (all but authenticated calls in executions, where n8n
 * puts the execution's own signal), a late request is aborted; else its socket is
 * freed when its answer comes.
 */
async function answerWithin(
	context: ApiContext,
	exchange: Exchange,
	deadline: { at: number; timeoutMs: number },
	signal: AbortSignal | undefined,
): Promise<FinalResponse> {
	const late = new AbortController();
	const options: IHttpRequestOptions = {
		...exchange.options,
		// A file is asked for as it is: a compressed answer has no byte offsets to resume from or length to check.
		headers: exchange.options.encoding === 'stream' ? { 'Accept-Encoding': 'identity', ...exchange.options.headers } : exchange.options.headers,
		encoding: 'stream',
		timeout: exchange.timeouts.responseMs,
		ignoreHttpStatusErrors: true,
		abortSignal: signal ? AbortSignal.any([signal, late.signal]) : late.signal,
	};
	return await beforeDeadline(sendFollowingRedirects(context, options, exchange.redirects), {
		...deadline,
		late: (response) => discard(response.body),
		onTimeout: () => late.abort(),
	});
}

/** Which time limit a timeout error is about, for the message. */
function timeoutOf(error: unknown, code: string, timeouts: RequestTimeouts): number | undefined {
	if (error instanceof StalledBodyError) return error.stallMs;
	if (error instanceof ResponseTimeoutError) return error.timeoutMs;
	return code === 'ETIMEDOUT' ? timeouts.responseMs : undefined;
}

/** Reads a small error body whether it arrived parsed, as text, or as a stream. */
async function readErrorBody(body: unknown, stallMs: number, deadline: { at: number; timeoutMs: number }): Promise<unknown> {
	if (isReadable(body)) {
		try {
			return parseMaybeJson((await readBodyWithin(body, stallMs, deadline, ERROR_BODY_LIMIT)).toString('utf8'));
		} catch {
			// A broken, stalled or late error body still leaves the status code to explain the failure.
			return '';
		}
	}
	if (Buffer.isBuffer(body)) return parseMaybeJson(body.toString('utf8'));
	if (typeof body === 'string') return parseMaybeJson(body);
	return body;
}

function discard(body: unknown): void {
	if (isReadable(body)) body.destroy();
}

function isReadable(value: unknown): value is Readable {
	return value !== null && typeof value === 'object' && typeof (value as Readable).pipe === 'function';
}

function parseMaybeJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** The body is a decompressing stream (the server compressed it, whatever was asked). */
function isDecoder(body: unknown): boolean {
	// axios (under n8n's helpers) answers with zlib's createUnzip() or createBrotliDecompress() stream then.
	const name = (body as { constructor?: { name?: unknown } } | null)?.constructor?.name;
	return name === 'Unzip' || name === 'BrotliDecompress';
}
