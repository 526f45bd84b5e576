/**
 * The RotateProduct simulator against the documented contract
 * (API-CONTRACT.md, rotateproduct-download-zip.txt, rotateproduct-polling.txt).
 * These talk HTTP directly: they prove the simulator, so node tests can trust it.
 */
import { bearer, client, getBuffer } from '../helpers/http';
import { readZip, sha256 } from '../helpers/zip';
import { videoBuffer } from './common/videoBytes';
import type { Vocabulary } from './rotateproduct/RotateProductSimulator';
import { RotateProductSimulator, videoSeed, VIDEO_RETENTION_MS } from './rotateproduct/RotateProductSimulator';

const KEY = 'rp_contract_key_A';
const OTHER_KEY = 'rp_contract_key_B';

let sim: RotateProductSimulator;
let api: string;

beforeEach(async () => {
	sim = new RotateProductSimulator({ renderMs: 60_000, videoSizeBytes: 200_000 });
	await sim.start();
	sim.addAccount(KEY, 1000);
	sim.addAccount(OTHER_KEY, 1000);
	api = sim.apiUrl;
});
afterEach(async () => await sim.stop());

async function bulk(items: unknown[], key = KEY) {
	return await client.post(`${api}/generations`, { generations: items }, bearer(key));
}

describe('auth', () => {
	test('no key and a wrong key get 401 with the error body', async () => {
		for (const headers of [{}, { Authorization: 'Bearer nope' }]) {
			const res = await client.get(`${api}/credits`, { headers });
			expect(res.status).toBe(401);
			expect(res.data).toMatchObject({ success: false, error: { code: expect.any(Number), message: expect.any(String) } });
		}
	});

	test('credits answers {userId, credits}', async () => {
		const res = await client.get(`${api}/credits`, bearer(KEY));
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ userId: expect.any(String), credits: 1000 });
	});
});

describe('bulk generate', () => {
	test('creates generations, echoes external_id, charges 5 credits each', async () => {
		const res = await bulk([
			{ imageUrl: 'https://img.example/a.jpg', externalId: 'mug-1' },
			{ imageUrl: 'data:image/png;base64,AAAA', description: 'A mug' },
		]);
		expect(res.status).toBe(201);
		expect(res.data.success).toBe(true);
		expect(res.data.data.generations).toHaveLength(2);
		expect(res.data.data.generations[0]).toMatchObject({ status: 'rotating', external_id: 'mug-1', user_id: expect.any(String) });
		expect(res.data.data.failedGenerations).toEqual([]);
		expect(sim.account(KEY)?.credits).toBe(990);
	});

	test('failedGenerations carries the request index as a string', async () => {
		const res = await bulk([
			{ imageUrl: 'https://img.example/a.jpg' },
			{ imageUrl: 'ftp://img.example/b.jpg' },
			{ imageUrl: 'https://img.example/c.jpg' },
		]);
		expect(res.data.data.generations).toHaveLength(2);
		expect(res.data.data.failedGenerations).toEqual([{ id: '1', error: expect.any(String) }]);
	});

	test('601 items → 4001 validation body; empty list too', async () => {
		const items = Array.from({ length: 601 }, () => ({ imageUrl: 'https://img.example/a.jpg' }));
		const res = await bulk(items);
		expect(res.status).toBe(400);
		expect(res.data.error.code).toBe(4001);
		expect(res.data.error.meta.friendlyMessage).toMatch(/600/);
		expect((await bulk([])).data.error.code).toBe(4001);
	});

	test('insufficient credits rejects the whole request', async () => {
		sim.addAccount('poor_key_123', 7);
		const res = await bulk([{ imageUrl: 'https://a.example/1.jpg' }, { imageUrl: 'https://a.example/2.jpg' }], 'poor_key_123');
		expect(res.status).toBe(402);
		expect(res.data.success).toBe(false);
		expect(sim.account('poor_key_123')?.credits).toBe(7);
	});
});

describe('status machine', () => {
	const cases: Array<[Vocabulary, string[], string]> = [
		['polling', ['rotating'], 'completed'],
		['status', ['processing'], 'succeeded'],
		['lifecycle', ['starting', 'rotating'], 'successful'],
	];
	test.each(cases)('%s vocabulary', async (vocabulary, running, done) => {
		sim.vocabulary = vocabulary;
		const id = (await bulk([{ imageUrl: 'https://img.example/a.jpg' }])).data.data.generations[0].id;
		const seen = new Set<string>();
		for (let step = 0; step < 5; step++) {
			seen.add((await client.get(`${api}/generations/${id}/status`, bearer(KEY))).data.status);
			sim.clock.advance(10_000);
		}
		expect([...seen].sort()).toEqual([...running].sort());
		sim.clock.advance(60_000);
		const final = await client.get(`${api}/generations/${id}/status`, bearer(KEY));
		expect(final.data).toMatchObject({ id, status: done, external_id: null });
	});

	test('failed and canceled outcomes', async () => {
		sim.vocabulary = 'lifecycle';
		sim.outcomeOf = (_input, index) => (index === 0 ? 'failed' : 'canceled');
		const ids = (await bulk([{ imageUrl: 'https://a.example/1.jpg' }, { imageUrl: 'https://a.example/2.jpg' }])).data.data.generations.map((g: { id: number }) => g.id);
		sim.clock.advance(61_000);
		const statuses = await Promise.all(ids.map(async (id: number) => (await client.get(`${api}/generations/${id}/status`, bearer(KEY))).data.status));
		expect(statuses).toEqual(['failed', 'canceled']);
	});

	test('unknown id and another account\'s id are 404 with code 4006, resource generation', async () => {
		const [theirs] = sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/1.jpg' }]);
		for (const id of [999999, theirs.id]) {
			const res = await client.get(`${api}/generations/${id}/status`, bearer(KEY));
			expect(res.status).toBe(404);
			expect(res.data.error).toMatchObject({ code: 4006, meta: { resource: 'generation' } });
		}
	});
});

describe('video', () => {
	test('finished video streams as video/mp4 with the deterministic bytes; Range gives 206', async () => {
		const [generation] = sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		const full = await getBuffer(`${api}/generations/${generation.id}`, KEY);
		expect(full.status).toBe(200);
		expect(full.headers['content-type']).toBe('video/mp4');
		expect(Number(full.headers['content-length'])).toBe(200_000);
		expect(sha256(full.data)).toBe(sha256(videoBuffer(videoSeed(generation.id), 200_000)));
		expect(full.data.subarray(4, 8).toString('latin1')).toBe('ftyp');

		const part = await getBuffer(`${api}/generations/${generation.id}`, KEY, { Range: 'bytes=100-199' });
		expect(part.status).toBe(206);
		expect(part.headers['content-range']).toBe('bytes 100-199/200000');
		expect(part.data.equals(full.data.subarray(100, 200))).toBe(true);
	});

	test('410 once the hour after creation has passed; 404 while rendering', async () => {
		const [rendering] = sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }]);
		expect((await client.get(`${api}/generations/${rendering.id}`, bearer(KEY))).status).toBe(404);
		sim.clock.advance(VIDEO_RETENTION_MS);
		const expired = await client.get(`${api}/generations/${rendering.id}`, bearer(KEY));
		expect(expired.status).toBe(410);
		expect(expired.data.success).toBe(false);
	});
});

describe('list', () => {
	test.each(['newest-first', 'oldest-first'] as const)('pages of up to 100, %s', async (order) => {
		sim.listOrder = order;
		const seeded = sim.seed(KEY, Array.from({ length: 150 }, (_v, i) => ({ imageUrl: `https://a.example/${i}.jpg` })));
		sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/x.jpg' }]);
		const page1 = await client.get(`${api}/generations?page=1&pageSize=100`, bearer(KEY));
		const page2 = await client.get(`${api}/generations?page=2&pageSize=100`, bearer(KEY));
		expect(page1.data).toMatchObject({ page: 1, pageSize: 100, total: 150 });
		expect(page1.data.generations).toHaveLength(100);
		expect(page2.data.generations).toHaveLength(50);
		const ids = [...page1.data.generations, ...page2.data.generations].map((g: { id: number }) => g.id);
		const expected = seeded.map((g) => g.id);
		expect(ids).toEqual(order === 'newest-first' ? [...expected].reverse() : expected);
		expect((await client.get(`${api}/generations?pageSize=101`, bearer(KEY))).data.error.code).toBe(4001);
	});
});

describe('zip', () => {
	function seedReady(items: Array<{ externalId?: string }>) {
		return sim.seed(KEY, items.map((item, i) => ({ imageUrl: `https://a.example/${i}.jpg`, ...item })), { renderMs: 0 });
	}

	test('names: externalId, generation-<id>, -<id> on collision, unsafe characters → _', async () => {
		const [a, b, c, d] = seedReady([{ externalId: 'mug-2' }, {}, { externalId: 'mug-2' }, { externalId: 'Blue mug/äö.v2' }]);
		const res = await client.post(`${api}/generations/download`, { videoIds: [a.id, b.id, c.id, d.id] }, { ...bearer(KEY), responseType: 'arraybuffer' });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/zip');
		expect(res.headers['content-disposition']).toMatch(/^attachment; filename="generations-\d+\.zip"$/);
		const entries = await readZip(Buffer.from(res.data));
		expect(entries.map((e) => e.name)).toEqual(['mug-2.mp4', `generation-${b.id}.mp4`, `mug-2-${c.id}.mp4`, 'Blue_mug____v2.mp4']);
		expect(entries[0].sha256).toBe(sha256(videoBuffer(videoSeed(a.id), 200_000)));
		expect(entries.every((e) => e.compressionMethod === 0)).toBe(true);
	});

	test('de-duplicates, accepts the ids alias and the GET variant', async () => {
		const [a, b] = seedReady([{ externalId: 'one' }, { externalId: 'two' }]);
		const viaAlias = await client.post(`${api}/generations/download`, { ids: [a.id, a.id, b.id] }, { ...bearer(KEY), responseType: 'arraybuffer' });
		expect((await readZip(Buffer.from(viaAlias.data))).map((e) => e.name)).toEqual(['one.mp4', 'two.mp4']);
		const viaGet = await getBuffer(`${api}/generations/download?ids=${a.id},${b.id}`, KEY);
		expect(viaGet.status).toBe(200);
		expect((await readZip(viaGet.data)).map((e) => e.name)).toEqual(['one.mp4', 'two.mp4']);
	});

	test('skips not-ready and foreign ids, reporting them in X-Skipped-* headers', async () => {
		const [ready] = seedReady([{ externalId: 'ready' }]);
		const [rendering] = sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const [foreign] = sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/f.jpg' }], { renderMs: 0 });
		const res = await client.post(`${api}/generations/download`, { videoIds: [ready.id, rendering.id, foreign.id, 123456] }, { ...bearer(KEY), responseType: 'arraybuffer' });
		expect(res.status).toBe(200);
		expect(res.headers['x-skipped-not-ready']).toBe(String(rendering.id));
		expect(res.headers['x-skipped-not-found']).toBe(`${foreign.id},123456`);
		expect((await readZip(Buffer.from(res.data))).map((e) => e.name)).toEqual(['ready.mp4']);
	});

	test('nothing downloadable → 404 with the documented body', async () => {
		const [rendering] = sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const res = await client.post(`${api}/generations/download`, { videoIds: [rendering.id] }, bearer(KEY));
		expect(res.status).toBe(404);
		expect(res.data).toEqual({
			success: false,
			error: {
				code: 4006,
				message: 'downloadable generations not found',
				meta: { friendlyMessage: 'downloadable generations not found', type: 'error', title: 'Resource Not Found', resource: 'downloadable generations' },
			},
		});
	});

	test('101 ids → the documented 4001 body; missing or invalid ids → 400', async () => {
		const ids = Array.from({ length: 101 }, (_v, i) => i + 1);
		const res = await client.post(`${api}/generations/download`, { videoIds: ids }, bearer(KEY));
		expect(res.status).toBe(400);
		expect(res.data).toEqual({
			success: false,
			error: { code: 4001, message: 'Validation failed', meta: { friendlyMessage: 'Maximum 100 videoIds are allowed', type: 'error', title: 'Validation Error' } },
		});
		expect((await client.post(`${api}/generations/download`, {}, bearer(KEY))).status).toBe(400);
		expect((await client.post(`${api}/generations/download`, { videoIds: ['abc'] }, bearer(KEY))).status).toBe(400);
		expect((await client.get(`${api}/generations/download`, bearer(KEY))).status).toBe(400);
	});
});

describe('faults and counters', () => {
	test('429 with Retry-After, 503, malformed JSON, reset; the counter sees each request', async () => {
		sim.inject({ path: '/api/v1/credits', fault: { kind: 'status', status: 429, retryAfter: '2' } });
		sim.inject({ path: '/api/v1/credits', fault: { kind: 'status', status: 503 } });
		sim.inject({ path: '/api/v1/credits', fault: { kind: 'malformedJson' } });
		sim.inject({ path: '/api/v1/credits', fault: { kind: 'reset' } });
		const first = await client.get(`${api}/credits`, bearer(KEY));
		expect(first.status).toBe(429);
		expect(first.headers['retry-after']).toBe('2');
		expect((await client.get(`${api}/credits`, bearer(KEY))).status).toBe(503);
		const malformed = await client.get(`${api}/credits`, { ...bearer(KEY), responseType: 'text' });
		expect(() => JSON.parse(malformed.data as string)).toThrow();
		await expect(client.get(`${api}/credits`, bearer(KEY))).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect((await client.get(`${api}/credits`, bearer(KEY))).status).toBe(200);
		expect(sim.count('GET', '/api/v1/credits')).toBe(5);
	});

	test('truncated video: Content-Length announced, fewer bytes sent', async () => {
		const [generation] = sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		sim.inject({ path: `/api/v1/generations/${generation.id}`, fault: { kind: 'truncate', afterBytes: 1000 } });
		await expect(getBuffer(`${api}/generations/${generation.id}`, KEY)).rejects.toThrow();
	});

	test('resetAfterProcessing creates the generation, then drops the connection', async () => {
		sim.inject({ method: 'POST', path: '/api/v1/generations', fault: { kind: 'resetAfterProcessing' } });
		await expect(bulk([{ imageUrl: 'https://a.example/1.jpg' }])).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(sim.account(KEY)?.credits).toBe(995);
	});
});

describe('switches for what the docs leave open', () => {
	const items = [
		{ imageUrl: 'https://img.example/a.jpg', externalId: 'a' },
		{ imageUrl: 'https://img.example/b.jpg', externalId: 'b' },
		{ imageUrl: 'ftp://img.example/c.jpg', externalId: 'c' },
		{ imageUrl: 'https://img.example/d.jpg', externalId: 'd' },
		{ imageUrl: 'ftp://img.example/e.jpg', externalId: 'e' },
	];
	const offsetLess = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
	const utc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

	test('failedGenerations ids: the request index by default, the ordinal with failedIdReading "ordinal"', async () => {
		expect((await bulk(items)).data.data.failedGenerations.map((f: { id: string }) => f.id)).toEqual(['2', '4']);
		sim.failedIdReading = 'ordinal';
		expect((await bulk(items)).data.data.failedGenerations.map((f: { id: string }) => f.id)).toEqual(['0', '1']);
	});

	test('generations in request order by default; generationsOrder "shuffled" answers them in another order', async () => {
		const many = Array.from({ length: 12 }, (_v, i) => ({ imageUrl: `https://img.example/${i}.jpg`, externalId: `x${i}` }));
		const inOrder = (await bulk(many)).data.data.generations.map((g: { external_id: string }) => g.external_id);
		expect(inOrder).toEqual(many.map((item) => item.externalId));
		sim.generationsOrder = 'shuffled';
		const shuffled = (await bulk(many)).data.data.generations.map((g: { external_id: string }) => g.external_id);
		expect(shuffled).not.toEqual(inOrder);
		expect([...shuffled].sort()).toEqual([...inOrder].sort());
	});

	test('status times without an offset by default (the status page), with Z on statusTimesWithZ; list and bulk with Z', async () => {
		sim.timesWithoutOffset = false;
		const created = (await bulk([items[0]])).data.data.generations[0];
		expect(created.created_at).toMatch(utc);
		const status = (await client.get(`${api}/generations/${created.id}/status`, bearer(KEY))).data;
		expect(status.created_at).toMatch(offsetLess);
		expect(status.updated_at).toMatch(offsetLess);
		expect((await client.get(`${api}/generations`, bearer(KEY))).data.generations[0].created_at).toMatch(utc);
		sim.statusTimesWithZ = true;
		expect((await client.get(`${api}/generations/${created.id}/status`, bearer(KEY))).data.created_at).toMatch(utc);
	});

	test('timesWithoutOffset: every endpoint\'s times come without an offset, and mean UTC', async () => {
		sim.timesWithoutOffset = true;
		sim.clock.freeze();
		const created = (await bulk([items[0]])).data.data.generations[0];
		const list = (await client.get(`${api}/generations`, bearer(KEY))).data.generations[0];
		const status = (await client.get(`${api}/generations/${created.id}/status`, bearer(KEY))).data;
		for (const text of [created.created_at, list.created_at, status.created_at, status.updated_at]) expect(text).toMatch(offsetLess);
		expect(Date.parse(`${String(status.created_at).slice(0, 23)}Z`)).toBe(sim.clock.now());
	});

	test('serverClockSkewMs moves every timestamp and the Date header, not the simulated time', async () => {
		sim.timesWithoutOffset = false;
		sim.clock.freeze();
		const skew = 2 * 3600_000;
		sim.serverClockSkewMs = skew;
		const res = await bulk([items[0]]);
		const created = res.data.data.generations[0];
		expect(Date.parse(created.created_at)).toBe(sim.clock.now() + skew);
		expect(Date.parse(String(res.headers.date))).toBe(Math.floor((sim.clock.now() + skew) / 1000) * 1000);
		const list = (await client.get(`${api}/generations`, bearer(KEY))).data.generations[0];
		expect(Date.parse(list.created_at)).toBe(sim.clock.now() + skew);
		expect(sim.generation(created.id)?.createdAt).toBe(sim.clock.now());
	});
});
