/** The one place the RotateProduct nodes talk HTTP. */
import type { ApiContext } from '../../shared/context';
import type { ApiRequest, ApiResponse, ServiceDefinition } from '../../shared/http';
import { apiRequest, expectJsonObject } from '../../shared/http';
import { explainRotateProductError } from './errors';

export const ROTATE_PRODUCT: ServiceDefinition = {
	name: 'RotateProduct',
	credentialType: 'rotateProductApi',
	explain: explainRotateProductError,
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
