/**
 * Each hop's request is built fresh: whatever a credential helper writes into the
 * options it is given (n8n's httpRequestWithAuthentication adds the key to them),
 * and whatever credential header a caller passed, reaches no other hop. Checked
 * against a helper that mutates its options, whichever n8n version is installed.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ApiContext } from '../../nodes/shared/context';
import { hopRequest, sendFollowingRedirects } from '../../nodes/shared/http/redirects';

const API = 'https://api.example';
const CDN = 'https://cdn.example';

/** A context whose authenticated helper writes the key into the options it gets, as n8n's does. */
function recordingContext(answers: Array<{ statusCode: number; headers: Record<string, string> }>) {
	const sent: Array<{ url: string; authorization?: unknown; qs?: unknown; authenticated: boolean }> = [];
	const answer = () => ({ body: undefined, ...(answers.shift() ?? { statusCode: 200, headers: {} }) });
	const record = (options: IHttpRequestOptions, authenticated: boolean) => sent.push({ url: options.url, authorization: options.headers?.Authorization ?? options.headers?.authorization, qs: { ...options.qs }, authenticated });
	const context = {
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				options.headers = Object.assign(options.headers ?? {}, { Authorization: 'Bearer SECRET' });
				options.qs = Object.assign(options.qs ?? {}, { api_key: 'SECRET' });
				record(options, true);
				return answer();
			},
			httpRequest: async (options: IHttpRequestOptions) => {
				record(options, false);
				return answer();
			},
		},
	} as unknown as ApiContext;
	return { context, sent };
}

test('a shared headers object carries no key from the API hop to the CDN hop, nor to the next request', async () => {
	const shared = { Range: 'bytes=10-', 'If-Range': '"v1"' };
	const redirect = { statusCode: 302, headers: { location: `${CDN}/file.mp4` } };
	const { context, sent } = recordingContext([redirect, { statusCode: 200, headers: {} }, { ...redirect }]);
	const first: IHttpRequestOptions = { method: 'GET', url: `${API}/v/1`, headers: shared, qs: { page: 1 } };
	const policy = { credential: { type: 'test', origin: API } };
	await sendFollowingRedirects(context, first, policy);
	// The same options again (a retry or a resume): nothing from the first run is inherited.
	await sendFollowingRedirects(context, first, policy);
	expect(sent.map((s) => [s.url, s.authorization ?? null])).toEqual([
		[`${API}/v/1`, 'Bearer SECRET'],
		[`${CDN}/file.mp4`, null],
		[`${API}/v/1`, 'Bearer SECRET'],
		[`${CDN}/file.mp4`, null],
	]);
	expect(sent.filter((s) => !s.authenticated).map((s) => s.qs)).toEqual([{}, {}]);
	expect(shared).toEqual({ Range: 'bytes=10-', 'If-Range': '"v1"' });
	expect(first.qs).toEqual({ page: 1 });
});

test("a caller's own credential headers are never sent: only the credential's helper adds one", () => {
	const hop = hopRequest({ url: `${CDN}/x`, headers: { authorization: 'Bearer x', 'Proxy-Authorization': 'Basic y', Cookie: 'a=b', 'X-API-Key': 'z', Range: 'bytes=1-' }, auth: { username: 'u', password: 'p' } });
	expect(hop.headers).toEqual({ Range: 'bytes=1-' });
	expect(hop.auth).toBeUndefined();
});
