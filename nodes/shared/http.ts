/**
 * The one request loop both services' transports share: authentication through
 * n8n's helpers, bounded retries with backoff, and errors that say what to do.
 * Each service supplies only what differs: its name, its credential type and
 * how to read its error bodies.
 */
import type { Readable } from 'node:stream';
import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from './context';
import { cancelSignalOf } from './context';
import { pause } from './sleep';
import { isHttpUrl, withDetail } from './errorText';
import type { RetryPolicy } from './retry';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterDelay } from './retry';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/generations/12/status`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** `stream`: the body comes back as a Readable (downloads). */
	encoding?: 'json' | 'stream';
	/**
	 * A request that spends money (creates generations or jobs). It is retried only when
	 * the service certainly did not process it: 429, or the connection was refused.
	 */
	paid?: boolean;
	/** The item this request is for, so n8n shows the error on that item. */
	itemIndex?: number;
	/** What a 404 means for this request, e.g. `no generation 42 in this account`. */
	notFound?: string;
	/** Extra request headers, e.g. `Range` to resume a download. */
	headers?: Record<string, string>;
}

export interface ApiResponse<Body> {
	body: Body;
	headers: ResponseHeaders;
	statusCode: number;
}

/** A non-2xx answer, handed to the service to explain. */
export interface HttpFailure {
	statusCode: number;
	/** The parsed JSON error body, or its text when it is not JSON. */
	body: unknown;
	request: ApiRequest;
}

export interface ErrorExplanation {
	message: string;
	description: string;
}

/**
 * What any HTTP API's 400/422, 429, 5xx and other statuses mean to a user; each
 * service explains its own special cases (auth, not found, expiry) first.
 */
export function explainGenericStatus(serviceName: string, statusCode: number, said: string | undefined): ErrorExplanation {
	if (statusCode === 400 || statusCode === 422) {
		return {
			message: withDetail(`${serviceName} refused the request`, said),
			description: 'Correct the value the message names and run the node again.',
		};
	}
	if (statusCode === 429) {
		return {
			message: withDetail(`${serviceName} is limiting the request rate`, said),
			description: 'Wait a minute and run the node again, or send fewer items at once.',
		};
	}
	if (statusCode >= 500) {
		return {
			message: withDetail(`${serviceName} had a server error (${statusCode})`, said),
			description: `This is on ${serviceName}'s side. Try again in a few minutes.`,
		};
	}
	return {
		message: withDetail(`${serviceName} answered with status ${statusCode}`, said),
		description: "Check the node's fields and try again.",
	};
}

export interface ServiceDefinition {
	/** Shown in messages: "RotateProduct", "Colossyan". */
	name: string;
	credentialType: string;
	explain(failure: HttpFailure): ErrorExplanation;
	retryPolicy?: RetryPolicy;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Network failures where the request may have reached the service. */
const AMBIGUOUS_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);
/** Network failures where the request certainly never reached the service. */
const UNSENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const ERROR_BODY_LIMIT = 64 * 1024;

export async function apiRequest<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
): Promise<ApiResponse<Body>> {
	const options = await toHttpOptions(context, service, request);
	return await withRetries<Body>(context, service, request, async () =>
		(await context.helpers.httpRequestWithAuthentication.call(context, service.credentialType, {
			...options,
		})) as IN8nHttpFullResponse,
	);
}

/**
 * A GET of a public file URL (e.g. a CDN link): same retries and errors, but no
 * credential is sent, because the URL is not the API's.
 */
export async function publicRequest<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	url: string,
	request: Omit<ApiRequest, 'method' | 'path'>,
): Promise<ApiResponse<Body>> {
	const described: ApiRequest = { ...request, method: 'GET', path: new URL(url).pathname };
	return await withRetries<Body>(context, service, described, async () =>
		(await context.helpers.httpRequest({
			method: 'GET',
			url,
			headers: request.headers,
			json: request.encoding !== 'stream',
			encoding: request.encoding === 'stream' ? 'stream' : undefined,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse,
	);
}

async function withRetries<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	send: () => Promise<IN8nHttpFullResponse>,
): Promise<ApiResponse<Body>> {
	const policy = service.retryPolicy ?? DEFAULT_RETRY_POLICY;
	const signal = cancelSignalOf(context);

	for (let attempt = 1; ; attempt++) {
		const isLastAttempt = attempt >= policy.maxAttempts;
		let response: IN8nHttpFullResponse;
		try {
			response = await send();
		} catch (error) {
			if (signal?.aborted) throw cancelled(context, request);
			const code = networkErrorCode(error);
			if (!code) throw unexpectedFailure(context, service, request);
			const retryable =
				UNSENT_NETWORK_CODES.has(code) || (!request.paid && AMBIGUOUS_NETWORK_CODES.has(code));
			if (!retryable || isLastAttempt) throw networkFailure(context, service, request, code, attempt);
			await pause(backoffDelay(attempt - 1, policy), signal);
			continue;
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			return { body: response.body as Body, headers: response.headers as ResponseHeaders, statusCode };
		}

		const body = await readErrorBody(response.body);
		const retryable = statusCode === 429 || (!request.paid && RETRYABLE_STATUS.has(statusCode));
		if (retryable && !isLastAttempt) {
			const delay =
				statusCode === 429
					? retryAfterDelay(response.headers['retry-after'], attempt - 1, policy)
					: backoffDelay(attempt - 1, policy);
			await pause(delay, signal);
			continue;
		}
		throw httpFailure(context, service, { statusCode, body, request }, attempt);
	}
}

/** Reads a JSON API response and fails clearly when the service answered something else. */
export function expectJsonObject<T>(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	body: unknown,
): T {
	if (body !== null && typeof body === 'object') return body as T;
	const error = apiError(context, { body: String(body).slice(0, 200) } as JsonObject, {
		message: `${service.name} answered ${request.method} ${request.path} with something that is not JSON`,
		description: request.paid
			? mayHaveBeenProcessedDescription(service.name)
			: 'The service may be having trouble, or the Base URL in the credential points at something else. Try again in a moment.',
		itemIndex: request.itemIndex,
	});
	throw request.paid ? markMayHaveBeenProcessed(error) : error;
}

/**
 * A paid request that got no usable answer after it was sent (a reset, a 5xx, an
 * unreadable body) may have been processed and charged: never say "try again".
 */
export function mayHaveBeenProcessedDescription(serviceName: string): string {
	return `${serviceName} may have processed this request and charged for it, but its answer was lost. It was not sent again so you are not charged twice. Check in ${serviceName} (or with the node's list or status operations) whether the work was created before you run the node again.`;
}

function markMayHaveBeenProcessed<E extends NodeApiError>(error: E): E {
	error.context.mayHaveBeenProcessed = true;
	return error;
}

/** Whether a failed paid request may have been processed (see mayHaveBeenProcessedDescription). */
export function mayHaveBeenProcessed(error: unknown): boolean {
	return (error as { context?: { mayHaveBeenProcessed?: unknown } } | undefined)?.context?.mayHaveBeenProcessed === true;
}

async function toHttpOptions(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
): Promise<IHttpRequestOptions> {
	const credentials = await context.getCredentials<{ baseUrl?: string }>(service.credentialType);
	const baseUrl = validBaseUrl(context, service, credentials.baseUrl);
	return {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: request.encoding !== 'stream',
		encoding: request.encoding === 'stream' ? 'stream' : undefined,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
}

function validBaseUrl(context: ApiContext, service: ServiceDefinition, raw: unknown): string {
	const value = typeof raw === 'string' ? raw.trim().replace(/\/+$/, '') : '';
	if (!isHttpUrl(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL in the ${service.name} credential is not a valid http(s) URL`,
			{ description: 'Open the credential and set Base URL to the default, or to your proxy\'s URL.' },
		);
	}
	return value;
}

/** Reads a small error body whether it arrived parsed, as text, or as a stream. */
async function readErrorBody(body: unknown): Promise<unknown> {
	if (isReadable(body)) {
		const text = await readLimited(body, ERROR_BODY_LIMIT);
		return parseMaybeJson(text);
	}
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
		// A broken error body still leaves the status code to explain the failure.
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

/**
 * What n8n's helpers say when no answer came back, by system error code. n8n
 * wraps the request error in a NodeApiError whose `cause` does not survive in
 * n8n-workflow 1.x, so the code is read from the cause chain where it exists,
 * else from the texts the wrapper keeps (its own message for the code, and the
 * original message in `messages`).
 */
const NETWORK_ERROR_SIGNS: Array<[string, RegExp]> = [
	['ECONNREFUSED', /ECONNREFUSED|refused the connection/i],
	['ECONNRESET', /ECONNRESET|socket hang up|closed unexpectedly|\baborted\b/i],
	['ETIMEDOUT', /ETIMEDOUT|ESOCKETTIMEDOUT|timed out|timeout of \d+ms exceeded/i],
	['ECONNABORTED', /ECONNABORTED|connection was aborted/i],
	['ENOTFOUND', /ENOTFOUND|incorrect host/i],
	['EAI_AGAIN', /EAI_AGAIN|DNS server returned an error/i],
	['EHOSTUNREACH', /EHOSTUNREACH|host is unreachable/i],
	['EPIPE', /EPIPE/],
];

export function networkErrorCode(error: unknown): string | undefined {
	const texts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
		const { code, message, messages } = current as { code?: unknown; message?: unknown; messages?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(messages)) texts.push(...messages.filter((m): m is string => typeof m === 'string'));
		current = (current as { cause?: unknown }).cause;
	}
	const text = texts.join('\n');
	return NETWORK_ERROR_SIGNS.find(([, sign]) => sign.test(text))?.[0];
}

function httpFailure(
	context: ApiContext,
	service: ServiceDefinition,
	failure: HttpFailure,
	attempts: number,
): NodeApiError {
	const { message, description } = service.explain(failure);
	const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
	const ambiguous = failure.request.paid === true && (failure.statusCode >= 500 || failure.statusCode === 408);
	const error = apiError(context, safeErrorBody(failure.body), {
		message: `${message}${retried}`,
		description: ambiguous ? mayHaveBeenProcessedDescription(service.name) : description,
		httpCode: String(failure.statusCode),
		itemIndex: failure.request.itemIndex,
	});
	return ambiguous ? markMayHaveBeenProcessed(error) : error;
}

function networkFailure(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	code: string,
	attempts: number,
): NodeApiError {
	const ambiguousPaid = request.paid && !UNSENT_NETWORK_CODES.has(code);
	const description = ambiguousPaid
		? mayHaveBeenProcessedDescription(service.name)
		: `Check that the Base URL in the credential is reachable from n8n, then try again.`;
	const error = apiError(context, { networkError: code } as JsonObject, {
		message: `Could not reach ${service.name} (${code}) for ${request.method} ${request.path}${
			attempts > 1 ? ` after ${attempts} attempts` : ''
		}`,
		description,
		itemIndex: request.itemIndex,
	});
	return ambiguousPaid ? markMayHaveBeenProcessed(error) : error;
}

function unexpectedFailure(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
): NodeApiError {
	const error = apiError(context, {} as JsonObject, {
		message: `The request to ${service.name} (${request.method} ${request.path}) failed before an answer came back`,
		description: request.paid
			? mayHaveBeenProcessedDescription(service.name)
			: 'Check the credential and the network between n8n and the service, then try again.',
		itemIndex: request.itemIndex,
	});
	return request.paid ? markMayHaveBeenProcessed(error) : error;
}

function cancelled(context: ApiContext, request: ApiRequest): NodeOperationError {
	return new NodeOperationError(context.getNode(), 'The execution was cancelled', {
		itemIndex: request.itemIndex,
	});
}

/**
 * A NodeApiError whose message stays ours: n8n rewrites any message that names a
 * system error code (ECONNRESET, ...) into its own generic sentence.
 */
export function apiError(
	context: Pick<ApiContext, 'getNode'>,
	body: JsonObject,
	options: { message: string; description: string; httpCode?: string; itemIndex?: number },
): NodeApiError {
	const error = new NodeApiError(context.getNode(), body, options);
	error.message = options.message;
	return error;
}

/** Only the service's own answer goes into the error, never the request (it carries the key). */
function safeErrorBody(body: unknown): JsonObject {
	if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as JsonObject;
	return { body: typeof body === 'string' ? body.slice(0, 500) : null };
}

/** The HTTP status of an error from this transport (`'404'`, `'410'`, …), if it came with one. */
export function httpStatusOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown }).httpCode;
	return typeof code === 'string' ? code : undefined;
}
