/**
 * What both services' transports call: authenticated API requests and public
 * file fetches, through one request loop (http/loop.ts) that keeps the key on
 * its own origin, times out what hangs, retries what is safe and scrubs every
 * error. Each service supplies only what differs: its name, its credential
 * type and how to read its error bodies.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiContext } from './context';
import { isHttpUrl } from './errorText';
import { markMayHaveBeenProcessed, mayHaveBeenProcessed, mayHaveBeenProcessedDescription } from './http/ambiguous';
import { apiError } from './http/errors';
import { sendWithRetries } from './http/loop';
import { Scrubber } from './http/scrub';
import { payOnce } from './paidLedger';
import { timeoutsOf } from './http/timeouts';
import type { ApiRequest, ApiResponse, HopCheck, ServiceDefinition } from './http/types';

export type {
	ApiRequest,
	ApiResponse,
	ErrorExplanation,
	HopCheck,
	HttpFailure,
	ResponseHeaders,
	ServiceDefinition,
} from './http/types';
export { apiError, asNodeError } from './http/errors';
export type { AccessWording } from './http/explain';
export { explainAccessStatus, explainGenericStatus } from './http/explain';
export { networkErrorCode } from './http/errors';
export { StalledBodyError } from './http/timeouts';
export { earlierAttemptMayHaveBeenProcessed, mayHaveBeenProcessed, mayHaveBeenProcessedDescription } from './http/ambiguous';

/**
 * A request to the service's API: the credential goes along only to its Base URL's
 * origin. A paid request is sent once per node run, even when n8n retries the node.
 */
export async function apiRequest<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
): Promise<ApiResponse<Body>> {
	return await payOnce(context, request, mayHaveBeenProcessed, async () => await sendApiRequest<Body>(context, service, request));
}

async function sendApiRequest<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	request: ApiRequest,
): Promise<ApiResponse<Body>> {
	const credentials = await context.getCredentials<{ baseUrl?: string; apiKey?: unknown }>(service.credentialType);
	const baseUrl = validBaseUrl(context, service, credentials.baseUrl);
	return await sendWithRetries<Body>(context, {
		service,
		request,
		options: {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			headers: request.headers,
			json: request.encoding !== 'stream',
			encoding: request.encoding === 'stream' ? 'stream' : undefined,
		},
		redirects: { credential: { type: service.credentialType, origin: new URL(baseUrl).origin } },
		timeouts: timeoutsOf(context, request.itemIndex),
		scrubber: new Scrubber([credentials.apiKey]),
	});
}

export interface PublicRequest extends Omit<ApiRequest, 'method' | 'path' | 'qs' | 'body' | 'paid'> {
	/** Called for the URL and for every redirect target before it is fetched (e.g. an SSRF guard). */
	checkHop?: HopCheck;
}

/**
 * A GET of a public file URL (e.g. a CDN link): same loop, retries, timeouts and
 * errors, but no credential is sent on any hop, because the URL is not the API's.
 */
export async function publicRequest<Body>(
	context: ApiContext,
	service: ServiceDefinition,
	url: string,
	request: PublicRequest,
): Promise<ApiResponse<Body>> {
	const { checkHop, ...described } = request;
	return await sendWithRetries<Body>(context, {
		service,
		request: { ...described, method: 'GET', path: new URL(url).pathname },
		options: {
			method: 'GET',
			url,
			headers: request.headers,
			json: request.encoding !== 'stream',
			encoding: request.encoding === 'stream' ? 'stream' : undefined,
		},
		redirects: { checkHop },
		timeouts: timeoutsOf(context, request.itemIndex),
		scrubber: new Scrubber(),
	});
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

function validBaseUrl(context: ApiContext, service: ServiceDefinition, raw: unknown): string {
	const value = typeof raw === 'string' ? raw.trim().replace(/\/+$/, '') : '';
	if (!isHttpUrl(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL in the ${service.name} credential is not a valid http(s) URL`,
			{ description: "Open the credential and set Base URL to the default, or to your proxy's URL." },
		);
	}
	const url = new URL(value);
	if (url.username !== '' || url.password !== '') {
		// Never echo the URL itself: the part before @ is a password.
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL in the ${service.name} credential contains a user name or password (user:password@)`,
			{
				description: `Open the credential and remove the "user:password@" part from Base URL: a password there travels with every request and shows wherever the URL is shown. ${service.name} authenticates with the API key field alone.`,
			},
		);
	}
	return value;
}

/** The HTTP status of an error from this transport (404, 410, …), if it came with one. */
export function httpStatusOf(error: unknown): number | undefined {
	// NodeApiError keeps the status as text (`httpCode: '404'`).
	const code = (error as { httpCode?: unknown } | null | undefined)?.httpCode;
	return typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : undefined;
}
