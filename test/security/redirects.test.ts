/**
 * Credential containment: the key goes only to the origin of the credential's
 * Base URL. A redirect to another origin (a second server on another port,
 * which records what arrives) is followed without any Authorization, for API
 * calls and downloads of both services; a request with a body is not carried
 * there at all; a chain that left the origin does not bring the key back.
 */
import { binaryBuffer, runNode, testCredential } from '../harness/engine';
import { ForeignOrigin, FOREIGN_VIDEO_BYTES } from '../simulators/common/foreignOrigin';
import { videoBuffer } from '../simulators/common/videoBytes';
import { useColossyan } from '../colossyan/fixture';
import { GENERATIONS, generateFromProducts, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const foreign = new ForeignOrigin();
beforeEach(async () => {
	await foreign.start();
});
afterEach(async () => {
	await foreign.stop();
	foreign.resetLog();
	foreign.answerStatus = undefined;
});

const foreignVideo = (path: string) => videoBuffer(`foreign:${path}`, FOREIGN_VIDEO_BYTES);

describe('RotateProduct', () => {
	const rp = useRotateProduct({ videoSizeBytes: 40_000 });
	const credits = { resource: 'account', operation: 'getCredits' };

	test('an API call redirected to another origin reaches it without Authorization', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${foreign.baseUrl}/credits.json` } });
		const { items, error } = await rp.run(credits);
		expect(error).toBeUndefined();
		expect(items[0].json.credits).toBe(1); // the foreign origin's answer
		expect(foreign.requests).toHaveLength(1);
		expect(foreign.requests[0].headers.authorization).toBeUndefined();
		expect(rp.sim.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
	});

	test('Download Video redirected to a CDN on another origin: the file arrives, the key does not', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		for (const status of [301, 302, 303, 307, 308] as const) {
			rp.sim.inject({ path: `${GENERATIONS}/${generation.id}`, fault: { kind: 'redirect', status, location: `${foreign.baseUrl}/cdn/${status}.mp4` } });
		}
		for (const status of [301, 302, 303, 307, 308]) {
			const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id) });
			expect(error).toBeUndefined();
			expect((await binaryBuffer(items[0].binary?.data)).equals(foreignVideo(`/cdn/${status}.mp4`))).toBe(true);
		}
		expect(foreign.requests.map((r) => r.path)).toEqual(['/cdn/301.mp4', '/cdn/302.mp4', '/cdn/303.mp4', '/cdn/307.mp4', '/cdn/308.mp4']);
		expect(foreign.authorizationsSeen).toEqual([]);
	});

	test('the server-side zip redirected elsewhere carries no key either', async () => {
		const ready = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }, { imageUrl: 'https://a.example/2.jpg' }], { renderMs: 0 });
		rp.sim.inject({ path: `${GENERATIONS}/download`, times: 4, fault: { kind: 'redirect', status: 302, location: `${foreign.baseUrl}/zip.mp4` } });
		await rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: ready.map((g) => g.id).join(',') });
		expect(foreign.requests.length).toBeGreaterThan(0);
		expect(foreign.authorizationsSeen).toEqual([]);
	});

	test('a redirect within the Base URL\'s origin keeps the key (the call succeeds)', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: '/api/v1/credits?via=redirect' } });
		const { items, error } = await rp.run(credits);
		expect(error).toBeUndefined();
		expect(items[0].json.credits).toBe(100_000);
		expect(rp.sim.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
	});

	test('a paid POST redirected (307) to another origin is not followed: one POST, nothing at the other origin', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'redirect', status: 307, location: `${foreign.baseUrl}/generations.json` } });
		const { error } = await rp.run(generateFromProducts, products(1));
		expect(error?.message).toMatch(/was not followed: it sends POST to another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(foreign.requests).toHaveLength(0);
	});

	test('a chain that left the origin does not bring the key back to it', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${foreign.baseUrl}/hop` } });
		foreign.inject({ fault: { kind: 'redirect', location: `${rp.sim.apiUrl}/credits?back=1` } });
		const { error } = await rp.run(credits);
		expect(error).toBeDefined();
		expect(rp.sim.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, undefined]);
		expect(foreign.authorizationsSeen).toEqual([]);
	});

	const foreignPort = () => new URL(foreign.baseUrl).port;
	test.each([
		['protocol-relative', () => `//127.0.0.1:${foreignPort()}/credits.json`],
		['a backslash the URL parser reads as //', () => `/\\127.0.0.1:${foreignPort()}/credits.json`],
		['upper-case scheme, hex host', () => `HTTP://0x7F.1:${foreignPort()}/credits.json`],
		['with user:password@ in the Location', () => `http://user:pass@127.0.0.1:${foreignPort()}/credits.json`],
		['with a trailing dot on the address', () => `http://127.0.0.1.:${foreignPort()}/credits.json`],
	])('a redirect to another origin spelled %s reaches it without any Authorization', async (_name, location) => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: location() } });
		const { items, error } = await rp.run(credits);
		expect(error).toBeUndefined();
		expect(items[0].json.credits).toBe(1); // the foreign origin answered
		expect(foreign.requests).toHaveLength(1);
		expect(foreign.requests[0].headers.authorization).toBeUndefined();
	});

	test.each([
		['the same port as IPv4-mapped IPv6', () => rp.sim.apiUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]')],
		['the same port by the name localhost', () => rp.sim.apiUrl.replace('127.0.0.1', 'localhost')],
	])('the same server under another origin (%s) gets no key: origins are compared as written, never by address', async (_name, apiUrl) => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${apiUrl()}/credits?again=1` } });
		await rp.run(credits);
		// The second hop did reach the same server, and without the key (so it answers 401).
		expect(rp.sim.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, undefined]);
	});

	test('the same origin spelled in upper case keeps the key (the URL parser normalises scheme and host)', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${rp.sim.apiUrl.toUpperCase().replace('/API/V1', '/api/v1')}/credits?again=1` } });
		const { items, error } = await rp.run(credits);
		expect(error).toBeUndefined();
		expect(items[0].json.credits).toBe(100_000);
		expect(rp.sim.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
	});

	test('a paid POST redirected (307) within the origin is sent on there once, with the key (the service did not process it)', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'redirect', status: 307, location: `${GENERATIONS}?moved=1` } });
		const { error } = await rp.run(generateFromProducts, products(1));
		expect(error).toBeUndefined();
		expect(rp.sim.count('POST', GENERATIONS)).toBe(2);
		expect(rp.sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([307, expect.any(Number)]);
		expect(foreign.requests).toHaveLength(0);
	});

	test('redirect loops end after a bounded number of hops with a clear error', async () => {
		rp.sim.inject({ path: '/api/v1/credits', times: 50, fault: { kind: 'redirect', location: '/api/v1/credits' } });
		const { error } = await rp.run(credits);
		expect(error?.message).toMatch(/redirected more than 5 times/);
		expect(rp.sim.count('GET', '/api/v1/credits')).toBe(6);
	});

	test('a foreign origin\'s refusal is not blamed on the key', async () => {
		foreign.answerStatus = 403;
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${foreign.baseUrl}/credits.json` } });
		const { error } = await rp.run(credits);
		expect(error?.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+ answered GET \/credits with status 403, after RotateProduct redirected it there/);
		expect(foreign.authorizationsSeen).toEqual([]);
	});

	test('a user:password@ Base URL is refused before any request, naming the fix, without echoing the password', async () => {
		const baseUrl = rp.sim.apiUrl.replace('http://', 'http://admin:hunter2secret@');
		const { error } = await rp.run(credits, undefined, { baseUrl });
		expect(error?.message).toBe('The Base URL in the RotateProduct credential contains a user name or password (user:password@)');
		expect((error as { description?: string }).description).toMatch(/remove the "user:password@" part from Base URL/);
		expect(JSON.stringify(error)).not.toContain('hunter2secret');
		expect(rp.sim.requests).toHaveLength(0);
	});

	test('the credential test does not carry the key along a redirect', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'redirect', location: `${foreign.baseUrl}/credits.json` } });
		const result = await testCredential('rotateProductApi', { apiKey: KEY, baseUrl: rp.sim.apiUrl });
		expect(result.status).toBe('Error');
		expect(foreign.authorizationsSeen).toEqual([]);
	});
});

describe('Colossyan', () => {
	// The CDN's file has the size Colossyan reports (a file of another size is refused as not the video).
	const col = useColossyan({ videoSizeBytes: FOREIGN_VIDEO_BYTES, renderMs: 100_000 });

	test('an API call redirected to another origin reaches it without Authorization', async () => {
		col.sim.inject({ path: '/api/v1/assets/actors', fault: { kind: 'redirect', location: `${foreign.baseUrl}/actors.json` } });
		await col.run({ resource: 'asset', operation: 'listAvatars' });
		expect(foreign.requests).toHaveLength(1);
		expect(foreign.authorizationsSeen).toEqual([]);
	});

	test('the video lookup redirected elsewhere, and the file host redirecting to a CDN: no key anywhere but the API', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.inject({ fault: { kind: 'redirect', location: `${foreign.baseUrl}/cdn/ada.mp4` } });
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(error).toBeUndefined();
		expect((await binaryBuffer(items[0].binary?.data)).equals(foreignVideo('/cdn/ada.mp4'))).toBe(true);
		col.sim.inject({ path: `/api/v1/generated-videos/${job.videoId}`, fault: { kind: 'redirect', location: `${foreign.baseUrl}/video.json` } });
		await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(foreign.requests.map((r) => r.path)).toEqual(['/cdn/ada.mp4', '/video.json']);
		expect(foreign.authorizationsSeen).toEqual([]);
		expect(col.sim.files.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
	});

	test('a user:password@ Base URL is refused before any request', async () => {
		const { error } = await runNode({
			node: { type: 'colossyan', parameters: { resource: 'asset', operation: 'listAvatars' } },
			credentials: { colossyanApi: { apiKey: 'col_test_token_primary_0001', baseUrl: col.sim.apiUrl.replace('http://', 'http://u:p4ssw0rd-x@') } },
		});
		expect(error?.message).toBe('The Base URL in the Colossyan credential contains a user name or password (user:password@)');
		expect(JSON.stringify(error)).not.toContain('p4ssw0rd-x');
		expect(col.sim.requests).toHaveLength(0);
	});

	test('the credential test does not carry the token along a redirect', async () => {
		col.sim.inject({ path: '/api/v1/assets/actors', fault: { kind: 'redirect', location: `${foreign.baseUrl}/actors.json` } });
		const result = await testCredential('colossyanApi', { apiKey: 'col_test_token_primary_0001', baseUrl: col.sim.apiUrl });
		expect(result.status).toBe('Error');
		expect(foreign.authorizationsSeen).toEqual([]);
	});
});
