/**
 * Redirects are followed here, not by n8n's request helper: the helper re-adds
 * the credential on every hop, to whatever origin the Location names. Here the
 * credential is applied only to hops on its own Base URL's origin (scheme, host
 * and port); a hop elsewhere is a plain request without any Authorization (a
 * CDN behind a video URL keeps working, the key stays home). A request with a
 * body is not carried to another origin at all.
 */
import type { Readable } from 'node:stream';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { ApiContext } from '../context';
import type { HopCheck } from './types';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export interface RedirectPolicy {
	/** The credential and the only origin it is sent to; without it no hop is authenticated. */
	credential?: { type: string; origin: string };
	checkHop?: HopCheck;
}

export interface FinalResponse extends IN8nHttpFullResponse {
	/** Where the answer came from after redirects. */
	url: URL;
}

/** Why a redirect was not followed; the request loop turns it into the user's error. */
export class RedirectRefused extends Error {}

/** What a hook refused; carried out of the request loop's network error handling unchanged. */
export class HopRefused extends Error {
	constructor(readonly reason: unknown) {
		super('refused by the hop check');
	}
}

export async function sendFollowingRedirects(
	context: ApiContext,
	first: IHttpRequestOptions,
	policy: RedirectPolicy,
): Promise<FinalResponse> {
	let options: IHttpRequestOptions = first;
	let url = new URL(first.url);
	// Once a chain has left the credential's origin, the key is not sent on it again:
	// the other origin chose every hop since, including any that lead back.
	let trusted = policy.credential !== undefined;
	for (let hop = 0; ; hop++) {
		trusted &&= url.origin === policy.credential?.origin;
		const refusal = await refusalOf(policy.checkHop, url);
		if (refusal !== undefined) throw new HopRefused(refusal);
		const response = await sendOnce(context, { ...options, url: url.href }, trusted ? policy.credential : undefined);
		const location = headerText(response.headers.location);
		if (!REDIRECT_STATUS.has(response.statusCode) || location === undefined) return { ...response, url };
		discard(response.body);
		if (hop >= MAX_REDIRECTS) throw new RedirectRefused(`it redirected more than ${MAX_REDIRECTS} times`);
		const next = redirectTarget(location, url);
		options = nextHopOptions(options, response.statusCode);
		if (next.origin !== url.origin && options.method !== 'GET' && options.method !== 'HEAD') {
			throw new RedirectRefused(
				`it sends ${String(options.method)} to another origin (${next.origin}); the request stays with ${url.origin}`,
			);
		}
		url = next;
	}
}

async function sendOnce(
	context: ApiContext,
	options: IHttpRequestOptions,
	credential: RedirectPolicy['credential'],
): Promise<IN8nHttpFullResponse> {
	const hopOptions = hopRequest(options);
	if (credential) {
		return (await context.helpers.httpRequestWithAuthentication.call(
			context,
			credential.type,
			hopOptions,
		)) as IN8nHttpFullResponse;
	}
	return (await context.helpers.httpRequest(hopOptions)) as IN8nHttpFullResponse;
}

/** Header names that carry a credential: a hop never takes them from its caller, only from the credential. */
const CREDENTIAL_HEADER = /^(?:(?:proxy-)?authorization|cookie|x-api-key)$/i;

/**
 * The one place a hop's request is built: new objects for everything a helper may
 * write into. n8n's httpRequestWithAuthentication adds the key to the options it
 * is given (headers, query, body), so options shared between hops, retries or
 * resumes would carry the key of an earlier hop to wherever the next one goes.
 * A hop starts from the caller's request without any credential; only the
 * credential's own helper, on a trusted hop, adds one.
 */
export function hopRequest(options: IHttpRequestOptions): IHttpRequestOptions {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (!CREDENTIAL_HEADER.test(name) && value !== undefined) headers[name] = String(value);
	}
	return {
		...options,
		headers,
		qs: options.qs ? { ...options.qs } : undefined,
		body: isPlainObject(options.body) ? { ...options.body } : options.body,
		auth: undefined,
		disableFollowRedirect: true,
		returnFullResponse: true,
	};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

function redirectTarget(location: string, from: URL): URL {
	const next = parsedUrl(location, from);
	if (!next) throw new RedirectRefused('it redirected to an address that is not a URL');
	if (next.protocol !== 'http:' && next.protocol !== 'https:') {
		throw new RedirectRefused(`it redirected to a ${next.protocol} address`);
	}
	// Credentials in a Location would be sent as Basic auth to wherever it points.
	next.username = '';
	next.password = '';
	return next;
}

/** 303 always, and 301/302 after a POST, continue as a GET without body (what browsers and axios do). */
function nextHopOptions(options: IHttpRequestOptions, status: number): IHttpRequestOptions {
	const method = options.method ?? 'GET';
	const becomesGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
	// The query string is part of the Location now.
	const next: IHttpRequestOptions = { ...options, method, qs: undefined };
	if (becomesGet) {
		next.method = 'GET';
		next.body = undefined;
	}
	return next;
}

/** What the hop check threw, if it refused the URL. */
async function refusalOf(checkHop: HopCheck | undefined, url: URL): Promise<unknown> {
	try {
		await checkHop?.(url);
		return undefined;
	} catch (error) {
		return error ?? new Error('refused');
	}
}

function parsedUrl(text: string, base: URL): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
}

function headerText(value: unknown): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

function discard(body: unknown): void {
	if (body !== null && typeof body === 'object' && typeof (body as Readable).destroy === 'function') {
		(body as Readable).destroy();
	}
}
