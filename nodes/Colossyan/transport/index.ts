/** The one place the Colossyan nodes talk HTTP. */
import type { Readable } from 'node:stream';

import type { ApiContext } from '../../shared/context';
import type { ApiRequest, ApiResponse, ServiceDefinition } from '../../shared/http';
import { apiRequest, expectJsonObject, publicRequest } from '../../shared/http';
import type { ServiceRetryPolicy } from '../../shared/retry';
import { DEFAULT_RETRY_POLICY, TRANSIENT_NETWORK_ERRORS } from '../../shared/retry';
import { explainColossyanError } from './errors';

/** The credential type's name (credentials/ColossyanApi.credentials.ts), for the nodes and the transport. */
export const COLOSSYAN_CREDENTIAL = 'colossyanApi';

/**
 * How Colossyan requests (and video file downloads) are retried, as
 * nodes/shared/http/loop.ts follows it: up to 4 tries, backoff from 0.5 s
 * doubling to 8 s; a 429 waits its Retry-After (seconds or an HTTP date, at most
 * 60 s). A paid job creation is sent again only when Colossyan certainly did not
 * take it (a 429, a refused connection); after a 5xx, a reset or a timeout it may
 * have been charged.
 */
const RETRY_POLICY: ServiceRetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	statuses: { 429: 'always', 502: 'unlessPaid', 503: 'unlessPaid', 504: 'unlessPaid' },
	retryAfterStatuses: [429],
	networkErrors: TRANSIENT_NETWORK_ERRORS,
};

export const COLOSSYAN: ServiceDefinition = {
	name: 'Colossyan',
	credentialType: COLOSSYAN_CREDENTIAL,
	explain: explainColossyanError,
	retryPolicy: RETRY_POLICY,
};

/**
 * The API token itself, for what is signed with it (callback and resume URLs,
 * the trigger's signature check); requests to Colossyan go through colossyanRequest.
 */
export async function colossyanApiToken(context: ApiContext): Promise<string> {
	const credentials = await context.getCredentials<{ apiKey?: unknown }>(COLOSSYAN_CREDENTIAL);
	return String(credentials.apiKey ?? '');
}

export async function colossyanRequest<Body>(
	context: ApiContext,
	request: ApiRequest,
): Promise<ApiResponse<Body>> {
	return await apiRequest<Body>(context, COLOSSYAN, request);
}

export async function colossyanJson<Body>(context: ApiContext, request: ApiRequest): Promise<Body> {
	const { body } = await colossyanRequest<unknown>(context, request);
	return expectJsonObject<Body>(context, COLOSSYAN, request, body);
}

/**
 * Streams a generated video from its public URL. The file host is not the API:
 * the token is not sent there (Colossyan's docs: publicUrl is a plain public URL).
 * `checkHop` sees the URL and every redirect target before it is fetched.
 */
export async function colossyanFileStream(
	context: ApiContext,
	publicUrl: string,
	itemIndex?: number,
): Promise<ApiResponse<Readable>> {
	return await publicRequest<Readable>(context, COLOSSYAN, publicUrl, {
		encoding: 'stream',
		itemIndex,
		notFound: 'the video file at its public URL (it may have been deleted)',
	});
}
