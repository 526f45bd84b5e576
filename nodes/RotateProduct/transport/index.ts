/** The one place the RotateProduct nodes talk HTTP. */
import type { ApiContext } from '../../shared/context';
import type { ApiRequest, ApiResponse, ServiceDefinition } from '../../shared/http';
import { apiRequest, expectJsonObject } from '../../shared/http';
import type { ServiceRetryPolicy } from '../../shared/retry';
import { DEFAULT_RETRY_POLICY, TRANSIENT_NETWORK_ERRORS } from '../../shared/retry';
import { explainRotateProductError } from './errors';

/** The credential type's name (credentials/RotateProductApi.credentials.ts), for the nodes and the transport. */
export const ROTATE_PRODUCT_CREDENTIAL = 'rotateProductApi';

/**
 * How RotateProduct requests are retried (nodes/shared/http/loop.ts follows it):
 * up to 4 tries, backoff from 0.5 s doubling to 8 s; a 429 waits its Retry-After
 * (seconds or an HTTP date, at most 60 s). The paid POST /generations is sent
 * again only when RotateProduct certainly did not take it (a 429, a refused
 * connection); after a 5xx, a reset or a timeout it may have been charged.
 */
const RETRY_POLICY: ServiceRetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	statuses: { 429: 'always', 502: 'unlessPaid', 503: 'unlessPaid', 504: 'unlessPaid' },
	retryAfterStatuses: [429],
	networkErrors: TRANSIENT_NETWORK_ERRORS,
};

export const ROTATE_PRODUCT: ServiceDefinition = {
	name: 'RotateProduct',
	credentialType: ROTATE_PRODUCT_CREDENTIAL,
	explain: explainRotateProductError,
	retryPolicy: RETRY_POLICY,
};

export async function rotateProductRequest<Body>(
	context: ApiContext,
	request: ApiRequest,
): Promise<ApiResponse<Body>> {
	return await apiRequest<Body>(context, ROTATE_PRODUCT, request);
}

/** A JSON call whose answer must be a JSON object or array. */
export async function rotateProductJson<Body>(context: ApiContext, request: ApiRequest): Promise<Body> {
	const { body } = await rotateProductRequest<unknown>(context, request);
	return expectJsonObject<Body>(context, ROTATE_PRODUCT, request, body);
}

/** The credential's Base URL as the user typed it (for links in output; requests use the transport). */
export async function rotateProductBaseUrl(context: ApiContext): Promise<string> {
	const { baseUrl } = await context.getCredentials<{ baseUrl?: unknown }>(ROTATE_PRODUCT_CREDENTIAL);
	return typeof baseUrl === 'string' ? baseUrl : '';
}
