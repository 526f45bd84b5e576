/**
 * Every error the transport raises is built here, through apiError, which
 * scrubs credentials from its message, description and body: whatever the
 * upstream echoed, the key reaches neither the error, its stack, a Continue On
 * Fail item, nor n8n's logs.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from '../context';
import { field, firstText } from '../errorText';
import { isAmbiguousStatus, markMayHaveBeenProcessed, mayHaveBeenProcessedDescription } from './ambiguous';
import { explainFileHostStatus } from './explain';
import { Scrubber } from './scrub';
import { inSeconds } from './timeouts';
import type { ApiRequest, HttpFailure, ServiceDefinition } from './types';

const GENERIC_SCRUBBER = new Scrubber();

export interface ErrorOptions {
	message: string;
	description: string;
	httpCode?: string;
	itemIndex?: number;
}

/**
 * A NodeApiError whose message stays ours (n8n rewrites any message that names a
 * system error code, ECONNRESET, ..., into its own generic sentence), built from
 * scrubbed parts only: NodeApiError copies the body's message into its own fields.
 */
export function apiError(
	context: Pick<ApiContext, 'getNode'>,
	body: JsonObject,
	options: ErrorOptions,
	scrubber: Scrubber = GENERIC_SCRUBBER,
): NodeApiError {
	const message = scrubber.text(options.message);
	const description = scrubber.text(options.description);
	const error = new NodeApiError(context.getNode(), scrubber.value(body), { ...options, message, description });
	error.message = message;
	return error;
}

/** Only the service's own answer goes into the error, never the request (it carries the key). */
function errorBody(body: unknown): JsonObject {
	if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as JsonObject;
	return { body: typeof body === 'string' ? body.slice(0, 500) : null };
}

export function httpFailure(
	context: ApiContext,
	service: ServiceDefinition,
	failure: HttpFailure & { from?: URL; expectedOrigin?: string; fileHost?: boolean },
	attempts: number,
	scrubber: Scrubber,
): NodeApiError {
	const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
	const foreign = failure.from && failure.expectedOrigin && failure.from.origin !== failure.expectedOrigin;
	const said = failure.fileHost ? fileHostText(failure.body) : undefined;
	const { message, description } = failure.fileHost
		? explainFileHostStatus(failure.statusCode, failure.from?.origin ?? 'of this file', failure.request, said)
		: foreign
		? {
				message: `${failure.from?.origin} answered ${failure.request.method} ${failure.request.path} with status ${failure.statusCode}, after ${service.name} redirected it there`,
				description: `The redirect left ${service.name}'s address, so the credential was not sent along. Check the Base URL in the credential (a proxy in front of ${service.name} may be redirecting).`,
			}
		: service.explain(failure);
	const ambiguous = failure.request.paid === true && isAmbiguousStatus(failure.statusCode);
	const error = apiError(
		context,
		errorBody(failure.body),
		{
			message: `${message}${retried}`,
			description: ambiguous ? mayHaveBeenProcessedDescription(service.name) : description,
			httpCode: String(failure.statusCode),
			itemIndex: failure.request.itemIndex,
		},
		scrubber,
	);
	return ambiguous ? markMayHaveBeenProcessed(error) : error;
}

/** A file host's own words, when it gave short ones (a CDN's error page is not worth quoting). */
function fileHostText(body: unknown): string | undefined {
	const text = typeof body === 'string' ? body : (firstText(field(body, 'message'), field(body, 'error')) ?? undefined);
	return text && text.length <= 200 && !/^\s*</.test(text) ? text : undefined;
}

export interface NetworkProblem {
	code: string;
	/** The response timeout when it was a timeout. */
	timeoutMs?: number;
	/** The request certainly never reached the service (refused, DNS). */
	unsent: boolean;
}

export function networkFailure(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	problem: NetworkProblem,
	attempts: number,
): NodeApiError {
	const after = attempts > 1 ? ` after ${attempts} attempts` : '';
	const what = `${request.method} ${request.path}`;
	const message =
		problem.timeoutMs !== undefined
			? `${service.name} did not answer ${what} within ${inSeconds(problem.timeoutMs)}${after}`
			: `Could not reach ${service.name} (${problem.code}) for ${what}${after}`;
	const ambiguous = request.paid === true && !problem.unsent;
	let description = 'Check that the Base URL in the credential is reachable from n8n, then try again.';
	if (ambiguous) {
		description = mayHaveBeenProcessedDescription(service.name);
	} else if (problem.timeoutMs !== undefined) {
		description = `${service.name} may be slow or unreachable. Try again later, or raise Response Timeout in the node's Request Timeouts option.`;
	}
	const error = apiError(context, { networkError: problem.code } as JsonObject, { message, description, itemIndex: request.itemIndex });
	return ambiguous ? markMayHaveBeenProcessed(error) : error;
}

export function unexpectedFailure(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	error: unknown,
	scrubber: Scrubber,
): NodeApiError {
	const said = error instanceof Error && error.message ? `: ${error.message.slice(0, 300)}` : '';
	const failure = apiError(
		context,
		{} as JsonObject,
		{
			message: `The request to ${service.name} (${request.method} ${request.path}) failed before an answer came back${said}`,
			description: request.paid
				? mayHaveBeenProcessedDescription(service.name)
				: 'Check the credential and the network between n8n and the service, then try again.',
			itemIndex: request.itemIndex,
		},
		scrubber,
	);
	return request.paid ? markMayHaveBeenProcessed(failure) : failure;
}

export function redirectFailure(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
	reason: string,
	scrubber: Scrubber,
): NodeApiError {
	return apiError(
		context,
		{} as JsonObject,
		{
			message: `The redirect ${service.name} answered ${request.method} ${request.path} with was not followed: ${reason}`,
			description: `Check the Base URL in the credential: it should be ${service.name}'s own address (or a proxy that does not redirect elsewhere).`,
			itemIndex: request.itemIndex,
		},
		scrubber,
	);
}

/**
 * An error caught around transport calls, made fit to throw from a node. n8n's
 * own errors pass unchanged: the transport's are scrubbed already and keep their
 * status, item index and paid-work mark. Anything else did not come from an API
 * (a bug, a library's own error), so it becomes a NodeOperationError, never a
 * NodeApiError, with anything shaped like a credential taken out of its message.
 */
export function asNodeError(
	context: Pick<ApiContext, 'getNode'>,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const said = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), GENERIC_SCRUBBER.text(said.slice(0, 500)) || 'Unexpected error', {
		itemIndex,
		description: 'An unexpected error, not an answer from the service. Run the node again; if it happens again, report it with the message.',
	});
}

export function cancelled(context: ApiContext, request: ApiRequest): NodeOperationError {
	return new NodeOperationError(context.getNode(), 'The execution was cancelled', {
		itemIndex: request.itemIndex,
	});
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
	['ETIMEDOUT', /ETIMEDOUT|ESOCKETTIMEDOUT|timed out|timeout of \d+ms exceeded/i],
	['ECONNRESET', /ECONNRESET|socket hang up|closed unexpectedly|\baborted\b/i],
	['ECONNABORTED', /ECONNABORTED|connection was aborted/i],
	['ENOTFOUND', /ENOTFOUND|incorrect host/i],
	['EAI_AGAIN', /EAI_AGAIN|DNS server returned an error/i],
	['EHOSTUNREACH', /EHOSTUNREACH|host is unreachable/i],
	['EPIPE', /EPIPE/],
];
/** axios's own words for its `timeout`, whatever code it gives them (ECONNABORTED or ETIMEDOUT). */
const TIMEOUT_SIGN = /timeout of \d+ms exceeded|ETIMEDOUT|ESOCKETTIMEDOUT/i;

function errorTexts(error: unknown): { code?: string; text: string } {
	const texts: string[] = [];
	let code: string | undefined;
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
		const fields = current as { code?: unknown; message?: unknown; messages?: unknown };
		if (!code && typeof fields.code === 'string' && /^E[A-Z_]+$/.test(fields.code)) code = fields.code;
		if (typeof fields.message === 'string') texts.push(fields.message);
		if (Array.isArray(fields.messages)) texts.push(...fields.messages.filter((m): m is string => typeof m === 'string'));
		current = (current as { cause?: unknown }).cause;
	}
	return { code, text: texts.join('\n') };
}

export function networkErrorCode(error: unknown): string | undefined {
	const { code, text } = errorTexts(error);
	if (TIMEOUT_SIGN.test(text)) return 'ETIMEDOUT';
	return code ?? NETWORK_ERROR_SIGNS.find(([, sign]) => sign.test(text))?.[0];
}
