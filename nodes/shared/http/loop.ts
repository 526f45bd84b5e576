/**
 * The one request loop: every request of both services, authenticated or not,
 * goes through it. It follows redirects itself (redirects.ts), applies the
 * timeouts (timeouts.ts), retries what is safe to retry with backoff, and
 * builds every error through one scrubbing function (errors.ts).
 */
import type { Readable } from 'node:stream';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ApiContext } from '../context';
import { cancelSignalOf } from '../context';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterDelay } from '../retry';
import { pause } from '../sleep';
import { cancelled, httpFailure, networkErrorCode, networkFailure, redirectFailure, unexpectedFailure } from './errors';
import type { FinalResponse, RedirectPolicy } from './redirects';
import { HopRefused, RedirectRefused, sendFollowingRedirects } from './redirects';
import type { Scrubber } from './scrub';
import type { RequestTimeouts } from './timeouts';
import { withStallTimeout } from './timeouts';
import type { ApiRequest, ApiResponse, ResponseHeaders, ServiceDefinition } from './types';

const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Network failures where the request certainly never reached the service. */
const UNSENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
/** Network failures (timeouts included) where the request may have reached the service. */
const AMBIGUOUS_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);
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
	const { service, request, scrubber } = exchange;
	const policy = service.retryPolicy ?? DEFAULT_RETRY_POLICY;
	const signal = cancelSignalOf(context);
	const options: IHttpRequestOptions = {
		...exchange.options,
		timeout: exchange.timeouts.responseMs,
		ignoreHttpStatusErrors: true,
		...(signal ? { abortSignal: signal } : {}),
	};

	for (let attempt = 1; ; attempt++) {
		const isLastAttempt = attempt >= policy.maxAttempts;
		let response: FinalResponse;
		try {
			response = await sendFollowingRedirects(context, options, exchange.redirects);
		} catch (error) {
			if (signal?.aborted) throw cancelled(context, request);
			if (error instanceof HopRefused) throw error.reason;
			if (error instanceof RedirectRefused) throw redirectFailure(context, service, request, error.message, scrubber);
			const code = networkErrorCode(error);
			if (!code) throw unexpectedFailure(context, service, request, error, scrubber);
			const unsent = UNSENT_NETWORK_CODES.has(code);
			const retryable = unsent || (!request.paid && AMBIGUOUS_NETWORK_CODES.has(code));
			if (!retryable || isLastAttempt) {
				const timeoutMs = code === 'ETIMEDOUT' ? exchange.timeouts.responseMs : undefined;
				throw networkFailure(context, service, request, { code, unsent, timeoutMs }, attempt);
			}
			await pause(backoffDelay(attempt - 1, policy), signal);
			continue;
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			return { body: answerBody<Body>(response.body, exchange), headers: response.headers as ResponseHeaders, statusCode };
		}

		const body = scrubber.value(await readErrorBody(response.body, exchange.timeouts.stallMs));
		const retryable = statusCode === 429 || (!request.paid && RETRYABLE_STATUS.has(statusCode));
		if (retryable && !isLastAttempt) {
			const delay =
				statusCode === 429
					? retryAfterDelay(response.headers['retry-after'], attempt - 1, policy)
					: backoffDelay(attempt - 1, policy);
			await pause(delay, signal);
			continue;
		}
		// Public URLs may hand over to a CDN: only an API call's answer from elsewhere is worth saying so.
		const expectedOrigin = exchange.redirects.credential?.origin;
		throw httpFailure(context, service, { statusCode, body, request, from: response.url, expectedOrigin }, attempt, scrubber);
	}
}

/** A streamed body gets its stall timeout; a parsed one loses any echo of the key before anyone reads it. */
function answerBody<Body>(body: unknown, exchange: Exchange): Body {
	if (isReadable(body)) return withStallTimeout(body, exchange.timeouts.stallMs) as Body;
	return exchange.scrubber.value(body, 'data') as Body;
}

/** Reads a small error body whether it arrived parsed, as text, or as a stream. */
async function readErrorBody(body: unknown, stallMs: number): Promise<unknown> {
	if (isReadable(body)) return parseMaybeJson(await readLimited(withStallTimeout(body, stallMs), ERROR_BODY_LIMIT));
	if (Buffer.isBuffer(body)) return parseMaybeJson(body.toString('utf8'));
	if (typeof body === 'string') return parseMaybeJson(body);
	return body;
}

function isReadable(value: unknown): value is Readable {
	return value !== null && typeof value === 'object' && typeof (value as Readable).pipe === 'function';
}

async function readLimited(stream: Readable, limit: number): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			chunks.push(buffer);
			size += buffer.length;
			if (size >= limit) break;
		}
	} catch {
		// A broken or stalled error body still leaves the status code to explain the failure.
	} finally {
		stream.destroy();
	}
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function parseMaybeJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}
