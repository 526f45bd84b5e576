/** The one place the Colossyan nodes talk HTTP. */
import type { Readable } from 'node:stream';

import type { ApiContext } from '../../shared/context';
import type { ApiRequest, ApiResponse, ServiceDefinition } from '../../shared/http';
import { apiRequest, expectJsonObject, publicRequest } from '../../shared/http';
import { explainColossyanError } from './errors';

export const COLOSSYAN: ServiceDefinition = {
	name: 'Colossyan',
	credentialType: 'colossyanApi',
	explain: explainColossyanError,
};

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
	fromByte?: number,
): Promise<ApiResponse<Readable>> {
	return await publicRequest<Readable>(context, COLOSSYAN, publicUrl, {
		encoding: 'stream',
		itemIndex,
		notFound: 'the video file at its public URL (it may have been deleted)',
		headers: fromByte === undefined ? undefined : { Range: `bytes=${fromByte}-` },
	});
}
