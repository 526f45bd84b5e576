/**
 * Attacks of round 2 that HELD (pass today): hardening worth keeping.
 * - The key only to its Base URL's origin: Location spellings (case, default
 *   ports, trailing dot, userinfo tricks, backslashes, IPv6, IDN, scheme
 *   downgrade, protocol-relative), chains that leave and come back, caller
 *   credential headers in any case.
 * - A resumed body is the same body: a 206 that overlaps, has a `*` total,
 *   drops the strong ETag, or a 200 to the resume, is never spliced in; the
 *   same file resumes byte-identical (control for holes2's splice tests).
 * - Retry On Fail: the same paid node with static expressions POSTs once
 *   (control for holes2's `$now` test).
 */
import { Readable } from 'node:stream';

import type { IDataObject, IHttpRequestOptions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { ApiContext } from '../../nodes/shared/context';
import { sendFollowingRedirects } from '../../nodes/shared/http/redirects';
import type { ApiResponse, ResponseHeaders } from '../../nodes/shared/http/types';
import { resumableBody } from '../../nodes/shared/resumableBody';
import type { NodeUnderTest } from '../harness/engine';
import { binaryBuffer, pollNode, runNode } from '../harness/engine';
import type { Fault } from '../simulators/common/faults';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { readZip, sha256 } from '../helpers/zip';
import type { Generation } from '../simulators/rotateproduct/RotateProductSimulator';
import { GENERATIONS, KEY, useRotateProduct } from '../rotateproduct/fixture';
import { TOKEN, useColossyan } from '../colossyan/fixture';

const BASE = 'https://api.example.com';
const CREDENTIAL = { type: 'rotateProductApi', origin: new URL(BASE).origin };

interface Sent {
	url: string;
	authenticated: boolean;
	credentialHeader: boolean;
	auth: unknown;
}

/** A context that answers each hop from `answers` (then 200), recording what each hop carried. */
function recordingContext(answers: Array<{ statusCode: number; headers: Record<string, string> }>) {
	const sent: Sent[] = [];
	const answer = () => ({ body: undefined, ...(answers.shift() ?? { statusCode: 200, headers: {} }) });
	const record = (options: IHttpRequestOptions, authenticated: boolean) =>
		sent.push({
			url: options.url,
			authenticated,
			credentialHeader: Object.keys(options.headers ?? {}).some((name) => /^(authorization|cookie|x-api-key|proxy-authorization)$/i.test(name)),
			auth: options.auth,
		});
	const context = {
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				options.headers = Object.assign(options.headers ?? {}, { Authorization: 'Bearer SECRET' });
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

/** Location spellings, and whether the hop they name is the credential's own origin. */
const SPELLINGS: Array<[string, boolean]> = [
	['https://API.EXAMPLE.COM/v', true],
	['https://api.example.com:443/v', true],
	['/v', true],
	['https://api.example.com./v', false],
	['http://api.example.com/v', false],
	['https://api.example.com:8443/v', false],
	['https://api.example.com@evil.example/v', false],
	['https://evil.example\\@api.example.com/v', false],
	['https://evil.example%2F@api.example.com/v', true], // WHATWG: userinfo "evil.example%2F", host api.example.com (stripped)
	['//evil.example/v', false],
	['https:evil.example/v', true], // same-scheme relative: resolves to a path on the API
	['https://[::1]/v', false],
	['https://xn--pi-7ka.example.com/v', false],
	['https://äpi.example.com/v', false],
	['https://api.example.com.evil.example/v', false],
	['https://user:pw@api.example.com/v', true],
	['https://user:pw@evil.example/v', false],
];

describe('held: the key only to its Base URL origin, whatever the Location spelling', () => {
	test.each(SPELLINGS)('Location %s (own origin: %s)', async (location, own) => {
		const { context, sent } = recordingContext([{ statusCode: 302, headers: { location } }]);
		await sendFollowingRedirects(context, { url: `${BASE}/api/v1/generations/1`, method: 'GET', headers: { authorization: 'Bearer CALLER' } }, { credential: CREDENTIAL });
		expect(sent).toHaveLength(2);
		const hop = sent[1];
		expect(new URL(hop.url).username).toBe('');
		expect(new URL(hop.url).password).toBe('');
		expect(hop.auth).toBeUndefined();
		expect(hop.authenticated).toBe(own && new URL(hop.url).origin === CREDENTIAL.origin);
		if (!hop.authenticated) expect(hop.credentialHeader).toBe(false);
	});

	test.each(SPELLINGS)('a chain that goes to %s then to a foreign origin and back: the key is not sent after it left', async (location) => {
		const { context, sent } = recordingContext([
			{ statusCode: 307, headers: { location } },
			{ statusCode: 302, headers: { location: 'https://cdn.example/v' } },
			{ statusCode: 308, headers: { location: `${BASE}/back` } },
		]);
		await sendFollowingRedirects(context, { url: `${BASE}/x`, method: 'GET', headers: { AUTHORIZATION: 'x', Cookie: 'c' } }, { credential: CREDENTIAL });
		const left = sent.findIndex((hop) => new URL(hop.url).origin !== CREDENTIAL.origin);
		sent.forEach((hop, index) => {
			const trusted = index < left;
			expect(hop.authenticated).toBe(trusted);
			if (!trusted) expect(hop.credentialHeader).toBe(false);
		});
	});

	test('a POST is not carried to another origin by a 307/308, whatever the spelling', async () => {
		for (const [location, own] of SPELLINGS) {
			for (const statusCode of [307, 308]) {
				const { context, sent } = recordingContext([{ statusCode, headers: { location } }]);
				const sending = sendFollowingRedirects(context, { url: `${BASE}/api/v1/generations`, method: 'POST', body: { a: 1 } }, { credential: CREDENTIAL });
				const target = new URL(location, `${BASE}/api/v1/generations`);
				if (own !== (target.origin === CREDENTIAL.origin)) throw new Error(`table and URL parser disagree on ${location}`);
				if (own) await sending;
				else await expect(sending).rejects.toThrow(/another origin/);
				expect(sent.filter((hop) => new URL(hop.url).origin !== CREDENTIAL.origin)).toHaveLength(0);
			}
		}
	});
});

const SIZE = 1_000;
const CUT = 400;
const whole = (v: number) => Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * v) % 251));

function fileStream(v: number, from: number, breakAfter?: number): Readable {
	const all = whole(v).subarray(from);
	const cut = breakAfter ?? all.length;
	return new Readable({
		read() {
			this.push(all.subarray(0, cut));
			if (cut < all.length) this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
			else this.push(null);
		},
	});
}

async function download(first: ResponseHeaders, resume: (offset: number) => ApiResponse<Readable>): Promise<Buffer | Error> {
	const body = resumableBody(
		{ statusCode: 200, headers: { 'content-length': String(SIZE), ...first }, body: fileStream(1, 0, CUT) },
		async (offset) => resume(offset),
	);
	const chunks: Buffer[] = [];
	try {
		for await (const chunk of body) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	} catch (error) {
		return error as Error;
	}
}

describe('held: a resume answer that is not the rest of the same file is refused', () => {
	const STRONG = { etag: '"v1"' };
	const part = (from: number, headers: ResponseHeaders, v = 1): ApiResponse<Readable> => ({ statusCode: 206, headers, body: fileStream(v, from) });

	test('control: the same file resumes byte-identical', async () => {
		const result = await download(STRONG, (offset) => part(offset, { ...STRONG, 'content-range': `bytes ${offset}-${SIZE - 1}/${SIZE}` }));
		expect(result).toEqual(whole(1));
	});

	test.each([
		['a 206 that starts earlier than asked (overlap)', (o: number) => part(o - 10, { ...STRONG, 'content-range': `bytes ${o - 10}-${SIZE - 1}/${SIZE}` })],
		['a 206 that starts later than asked (gap)', (o: number) => part(o + 10, { ...STRONG, 'content-range': `bytes ${o + 10}-${SIZE - 1}/${SIZE}` })],
		['a 206 with a * total', (o: number) => part(o, { ...STRONG, 'content-range': `bytes ${o}-${SIZE - 1}/*` })],
		['a 206 of a longer file', (o: number) => part(o, { ...STRONG, 'content-range': `bytes ${o}-${SIZE}/${SIZE + 1}` })],
		['a 206 without the ETag the first answer had', (o: number) => part(o, { 'content-range': `bytes ${o}-${SIZE - 1}/${SIZE}` }, 2)],
		['a 206 with a weak form of the same ETag', (o: number) => part(o, { etag: 'W/"v1"', 'content-range': `bytes ${o}-${SIZE - 1}/${SIZE}` }, 2)],
		['a 200 (the whole file again)', () => ({ statusCode: 200, headers: { ...STRONG, 'content-length': String(SIZE) }, body: fileStream(1, 0) })],
		['a 416', () => ({ statusCode: 416, headers: {}, body: Readable.from([]) })],
	])('%s', async (_name, resume) => {
		const result = await download(STRONG, resume);
		expect(result).toBeInstanceOf(Error);
	});

	test('a weak ETag alone (no Last-Modified) is no validator: the break fails, no resume is asked', async () => {
		let asked = 0;
		const result = await download({ etag: 'W/"v1"' }, (offset) => {
			asked++;
			return part(offset, { etag: 'W/"v1"', 'content-range': `bytes ${offset}-${SIZE - 1}/${SIZE}` });
		});
		expect(result).toBeInstanceOf(Error);
		expect(asked).toBe(0);
	});
});

describe('held: Retry On Fail with static expressions pays once (control for the $now hole)', () => {
	const rp = useRotateProduct({ renderMs: 200 });

	test('every try fails on its status read: one POST', async () => {
		const parameters: INodeParameters = {
			resource: 'generation',
			operation: 'generate',
			imageUrl: '={{ "https://shop.example/img/1.jpg?t=" + $json.sku }}',
			externalId: '={{ $json.sku }}',
			waitForCompletion: true,
			downloadVideos: false,
			pollIntervalSeconds: 1,
			waitTimeoutMinutes: 1,
		};
		rp.sim.inject({ method: 'GET', path: /^\/api\/v1\/generations(\/\d+\/status)?$/, times: 1000, fault: { kind: 'status', status: 500 } });
		const node: NodeUnderTest = { type: 'rotateProduct', parameters, retryOnFail: true, maxTries: 3, waitBetweenTries: 5 };
		await runNode({ node, input: [{ sku: 'sku-1' }], credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } } });
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	});
});

describe('held: Colossyan Generate with a static video name pays once under Retry On Fail (control for the $now hole)', () => {
	const col = useColossyan({ renderMs: 200 });

	test('every try fails on its status read: one job POST', async () => {
		const parameters: INodeParameters = {
			resource: 'job',
			operation: 'generate',
			generateMode: 'avatar',
			avatar: 'karen',
			voice: 'voice-karen-en',
			script: '={{ $json.script }}',
			videoName: '=Welcome {{ $json.name }}',
			waitForCompletion: true,
			downloadVideo: false,
			pollIntervalSeconds: 1,
			waitTimeoutMinutes: 1,
		};
		col.sim.inject({ method: 'GET', path: /^\/api\/v1\/video-generation-jobs\/[^/]+$/, times: 1000, fault: { kind: 'status', status: 500 } });
		const node: NodeUnderTest = { type: 'colossyan', parameters, retryOnFail: true, maxTries: 3, waitBetweenTries: 5 };
		await runNode({ node, input: [{ name: 'Ada', script: 'Hello Ada!' }], credentials: { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } } });
		expect(col.sim.count('POST', '/api/v1/video-generation-jobs')).toBe(1);
	});
});

describe('held: RotateProduct Trigger exactly once under manual runs, deletions, 401s, status flips, two nodes', () => {
	const rp = useRotateProduct({ videoSizeBytes: 20_000 });
	const MINUTE = 60_000;
	async function poll(staticData: IDataObject, parameters: INodeParameters = {}, mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[]> {
		const result = await pollNode({
			node: { type: 'rotateProductTrigger', parameters: { events: ['completed', 'failed'], ...parameters } },
			credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
			staticData,
			mode,
		});
		return result?.[0] ?? [];
	}
	function create(count: number, renderMs = 0): Generation[] {
		return Array.from({ length: count }, (_v, i) =>
			rp.sim.seed(KEY, [{ imageUrl: `https://a.example/${i}.jpg` }], { createdAt: rp.sim.clock.now(), renderMs, outcome: 'success' })[0],
		);
	}
	const events = (items: INodeExecutionData[]) => items.map((item) => `${String(item.json.event)}:${String(item.json.id)}`);
	const completed = (gs: Generation[]) => gs.map((g) => `completed:${g.id}`);
	const download = { options: { downloadVideo: true, maxDownloadsPerPoll: 1 } };

	test('manual test runs between active polls, while downloads are owed, neither report nor lose an owed event', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(3);
		const reported = await poll(staticData, download);
		const before = JSON.stringify(staticData);
		await poll(staticData, download, 'manual');
		await poll(staticData, {}, 'manual');
		expect(JSON.stringify(staticData)).toBe(before);
		for (let i = 0; i < 4; i++) reported.push(...(await poll(staticData, download)));
		expect(events(reported)).toEqual(completed(batch));
	});

	test('an owed generation deleted before its download: the others are still reported once, the poll does not stall', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(4);
		const reported = await poll(staticData, download);
		rp.sim.remove(batch[1].id);
		for (let i = 0; i < 6; i++) reported.push(...(await poll(staticData, download)));
		const ids = reported.map((item) => item.json.id);
		expect(ids.filter((id) => id !== batch[1].id)).toEqual([batch[0].id, batch[2].id, batch[3].id]);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('a poll whose 3rd download is refused 401 twice (key briefly revoked mid-poll): every event still reported exactly once over later polls', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(5);
		rp.sim.inject({ method: 'GET', path: `/api/v1/generations/${batch[2].id}`, times: 2, fault: { kind: 'status', status: 401 } });
		const reported: INodeExecutionData[] = [];
		for (let i = 0; i < 6; i++) {
			try {
				reported.push(...(await poll(staticData, { options: { downloadVideo: true } })));
			} catch {
				// a failed poll; the next one goes on
			}
		}
		const ids = reported.map((item) => item.json.id);
		expect([...new Set(ids)].sort()).toEqual(batch.map((g) => g.id).sort());
		expect(ids.length).toBe(new Set(ids).size);
	});

	test('a generation reported completed that the service later shows as failed is not reported a second time', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [g] = create(1);
		const first = await poll(staticData);
		rp.sim.settle(g.id, 'failed');
		rp.sim.clock.advance(MINUTE);
		const later = [...(await poll(staticData)), ...(await poll(staticData))];
		expect(events(first)).toEqual([`completed:${g.id}`]);
		expect(events(later)).toEqual([]);
	});

	test('two trigger nodes of one workflow (own static data each) each report every event once', async () => {
		const a: IDataObject = {};
		const b: IDataObject = {};
		await poll(a);
		await poll(b);
		const batch = create(3);
		const ra = [...(await poll(a, download)), ...(await poll(a, download))];
		const rb = await poll(b);
		ra.push(...(await poll(a, download)), ...(await poll(a, download)));
		rb.push(...(await poll(b)));
		expect(events(ra)).toEqual(completed(batch));
		expect(events(rb)).toEqual(completed(batch));
	});
});

describe('held: Download Zip never stores a short, empty or spliced archive', () => {
	const SIZE = 20_000;
	const rp = useRotateProduct({ videoSizeBytes: SIZE });
	const zip = { resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' };
	const FAULTS: Array<[string, Fault[]]> = [
		['truncate', [{ kind: 'truncate', afterBytes: 7_000 }]],
		['truncate twice', [{ kind: 'truncate', afterBytes: 3_000 }, { kind: 'truncate', afterBytes: 9_000 }]],
		['truncate, then the file changes (If-Range ignored)', [{ kind: 'truncate', afterBytes: 7_000 }, { kind: 'fileChanged', ignoreIfRange: true }]],
		['truncate, then the file changes (If-Range honoured)', [{ kind: 'truncate', afterBytes: 7_000 }, { kind: 'fileChanged' }]],
		['noValidators', [{ kind: 'noValidators', afterBytes: 7_000 }]],
		['emptyBody', [{ kind: 'emptyBody' }]],
		['partialAnswer', [{ kind: 'partialAnswer', bytes: 5_000 }]],
	];
	const CASES = (['single', 'perHundred'] as const).flatMap((mode) => FAULTS.map(([name, faults]) => [mode, name, faults] as const));

	test.each(CASES)('%s archive, %s on an entry (or the server zip): the entries are the videos, or no binary and an error', async (mode, _name, faults) => {
		const generations = rp.sim.seed(KEY, [0, 1, 2].map((i) => ({ imageUrl: `https://a.example/${i}.jpg`, externalId: `p-${i}` })), { renderMs: 0 });
		const path = mode === 'single' ? `/api/v1/generations/${generations[1].id}` : '/api/v1/generations/download';
		for (const fault of faults) rp.sim.inject({ path, fault });
		const { items, error } = await rp.run({ ...zip, archiveMode: mode }, generations.map((g) => ({ id: g.id })), { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(rp.sim.count(mode === 'single' ? 'GET' : 'POST', path)).toBeGreaterThanOrEqual(1);
		const binary = items.find((item) => item.binary?.data)?.binary?.data;
		// A break on the same file, in the archive this node builds, is resumed: the archive is whole.
		if (mode === 'single' && _name.startsWith('truncate') && !_name.includes('changes')) expect(binary).toBeDefined();
		if (!binary) {
			expect(items.some((item) => typeof item.json.error === 'string')).toBe(true);
			return;
		}
		const entries = await readZip(await binaryBuffer(binary));
		expect(entries.map((e) => e.sha256)).toEqual(generations.map((g) => sha256(videoBuffer(videoSeed(g.id), SIZE))));
	});
});
