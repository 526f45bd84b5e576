/**
 * The RotateProduct Trigger in n8n's real PollContext against the simulator:
 * exactly-once reporting, bounded cost in both list orders, restarts, faults.
 */
import { Container } from '@n8n/di';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryBuffer, pollNode } from '../harness/engine';
import { videoBuffer } from '../simulators/common/videoBytes';
import type { Generation } from '../simulators/rotateproduct/RotateProductSimulator';
import { videoSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { sha256 } from '../helpers/zip';
import { KEY, useRotateProduct } from './fixture';
import { seededRandom } from '../helpers/seeded';

const rp = useRotateProduct({ videoSizeBytes: 50_000 });
const MINUTE = 60_000;

async function poll(
	staticData: IDataObject,
	parameters: INodeParameters = {},
	mode: 'trigger' | 'manual' = 'trigger',
): Promise<INodeExecutionData[]> {
	const result = await pollNode({
		node: { type: 'rotateProductTrigger', parameters: { events: ['completed', 'failed'], ...parameters } },
		credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
		staticData,
		mode,
	});
	return result?.[0] ?? [];
}

/** Generations created `agoMs` before now, each taking `renderMs` (simulated). */
function create(count: number, options: { renderMs?: number; outcome?: 'success' | 'failed' | 'canceled'; externalId?: (i: number) => string; agoMs?: number } = {}): Generation[] {
	return Array.from({ length: count }, (_v, i) =>
		rp.sim.seed(KEY, [{ imageUrl: `https://a.example/${i}.jpg`, externalId: options.externalId?.(i) }], {
			createdAt: rp.sim.clock.now() - (options.agoMs ?? 0),
			renderMs: options.renderMs ?? 2 * MINUTE,
			outcome: options.outcome ?? 'success',
		})[0],
	);
}

const events = (items: INodeExecutionData[]) => items.map((item) => `${String(item.json.event)}:${String(item.json.id)}`);

describe.each(['newest-first', 'oldest-first'] as const)('list order %s', (order) => {
	beforeEach(() => {
		rp.sim.listOrder = order;
	});

	// Oldest first, a list ending on a full page costs one more: the page after it is read, as a total alone
	// cannot prove the list ends there (a total that stopped moving would hide every newer row).
	test.each([10_000, 10_050])('an idle poll over %i old generations costs at most 2 requests (3 oldest first on a full last page), and the first activation does not flood', async (count) => {
		const bound = order === 'oldest-first' && count % 100 === 0 ? 3 : 2;
		rp.sim.seed(KEY, Array.from({ length: count }, (_v, i) => ({ imageUrl: `https://a.example/${i}.jpg` })), {
			createdAt: rp.sim.clock.now() - 3 * 60 * MINUTE,
			renderMs: 0,
		});
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);
		for (let round = 0; round < 3; round++) {
			rp.sim.resetLog();
			rp.sim.clock.advance(MINUTE);
			expect(await poll(staticData)).toEqual([]);
			expect(rp.sim.requests.length).toBeLessThanOrEqual(bound);
		}
	});

	test('randomized: 2,000 generations, 60 polls, a restart and API outages -> every end reported exactly once, cost within the bound', async () => {
		const seed = 20261122;
		const random = seededRandom(seed);
		create(300, { agoMs: 2 * 60 * MINUTE, renderMs: 0 }); // history before activation
		let staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);
		const created: Generation[] = [];
		const reported: string[] = [];
		const costs: Array<{ requests: number; bound: number }> = [];
		let outages = 0;
		let previousPoll = rp.sim.clock.now();
		for (let round = 1; round <= 60; round++) {
			// Up to 2,000 generations over the first 50 minutes, rendering 0-6 minutes, some failing.
			const fresh = round <= 50 ? 40 : 0;
			const offsets = Array.from({ length: fresh }, () => random() * MINUTE).sort((a, b) => b - a);
			rp.sim.clock.advance(MINUTE);
			for (const ago of offsets) {
				const roll = random();
				created.push(...create(1, { agoMs: ago, renderMs: random() * 6 * MINUTE, outcome: roll < 0.8 ? 'success' : roll < 0.95 ? 'failed' : 'canceled' }));
			}
			if (round === 30) staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject; // n8n restarted
			const bound = costBound(created, previousPoll);
			if (round % 17 === 0) rp.sim.inject({ method: 'GET', path: '/api/v1/generations', fault: { kind: 'status', status: 500 } });
			rp.sim.resetLog();
			const before = JSON.stringify(staticData);
			try {
				reported.push(...events(await poll(staticData)));
				previousPoll = rp.sim.clock.now();
			} catch {
				outages++;
				expect(JSON.stringify(staticData)).toBe(before); // an API error leaves the cursor where it was
			}
			costs.push({ requests: rp.sim.requests.length, bound });
		}
		rp.sim.clock.advance(10 * MINUTE);
		reported.push(...events(await poll(staticData)));

		expect(created).toHaveLength(2000);
		expect(outages).toBe(3);
		const expected = created.map((g) => `${g.outcome === 'success' ? 'completed' : 'failed'}:${g.id}`);
		expect(new Set(reported).size).toBe(reported.length);
		expect(new Set(reported)).toEqual(new Set(expected));
		expect(costs.filter(({ requests, bound }) => requests > bound).map((cost, i) => ({ ...cost, i }))).toEqual([]);
	});

	test('a generation that ends, and one that is created, between two list pages are each reported once', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(250, { renderMs: 30 * MINUTE });
		rp.sim.clock.advance(MINUTE);
		expect(await poll(staticData)).toEqual([]);
		const oldest = batch[0];
		let late: Generation | undefined;
		rp.sim.beforeListPage = (page) => {
			if (page === 1) return;
			rp.sim.settle(oldest.id);
			late ??= create(1, { renderMs: 0 })[0];
		};
		rp.sim.clock.advance(MINUTE);
		const first = events(await poll(staticData));
		rp.sim.beforeListPage = undefined;
		rp.sim.clock.advance(MINUTE);
		const second = events(await poll(staticData));
		expect(late).toBeDefined();
		expect([...first, ...second].sort()).toEqual([`completed:${oldest.id}`, `completed:${String(late?.id)}`].sort());
	});
});

/** The logger n8n's node contexts hand out (n8n-core carries its own copy of @n8n/backend-common). */
async function n8nLogger(): Promise<{ warn: (message: string) => void }> {
	const path = require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] });
	const { Logger } = (await import(path)) as { Logger: new () => { warn: (message: string) => void } };
	return Container.get(Logger);
}

describe('server clock and stuck generations (no comparison with n8n\'s clock)', () => {
	test.each([-12, 12])('a server clock %i h off n8n\'s: 1,000 new generations, all reported', async (hours) => {
		rp.sim.listBehaviour.clockSkewMs = hours * 60 * MINUTE;
		create(50, { agoMs: 30 * MINUTE, renderMs: 0 });
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);
		const created: Generation[] = [];
		const reported: string[] = [];
		for (let round = 0; round < 10; round++) {
			rp.sim.clock.advance(MINUTE);
			created.push(...create(100, { renderMs: 30_000 }));
			reported.push(...events(await poll(staticData)));
		}
		rp.sim.clock.advance(MINUTE);
		reported.push(...events(await poll(staticData)));
		expect(reported.sort()).toEqual(created.map((g) => `completed:${g.id}`).sort());
	});

	test.each(['newest-first', 'oldest-first'] as const)('an id that becomes visible 30 minutes late, behind the late window, is still reported once (list %s)', async (order) => {
		rp.sim.listOrder = order;
		create(150, { agoMs: 3 * 60 * MINUTE, renderMs: 0 });
		const staticData: IDataObject = {};
		await poll(staticData);
		const [late] = create(1, { renderMs: 0 });
		rp.sim.listBehaviour.visibleFrom.set(late.id, late.createdAt + 30 * MINUTE);
		const created: Generation[] = [];
		const reported: string[] = [];
		for (let minute = 1; minute <= 40; minute++) {
			rp.sim.clock.advance(MINUTE);
			created.push(...create(10, { renderMs: 0 }));
			reported.push(...events(await poll(staticData, { events: ['created', 'completed'] })));
		}
		const expected = [late, ...created].flatMap((g) => [`created:${g.id}`, `completed:${g.id}`]);
		expect(reported.sort()).toEqual(expected.sort());
	});

	test('a generation running for hours is followed on the server\'s evidence: reported when it ends; given up only 6 h (server time) behind newer rows, with a warning', async () => {
		const warn = jest.spyOn(await n8nLogger(), 'warn');
		const staticData: IDataObject = {};
		await poll(staticData);
		const [slow] = create(1, { renderMs: 3 * 60 * MINUTE });
		const [stuck] = create(1, { renderMs: 100 * 60 * MINUTE });
		rp.sim.listBehaviour.createdAtMissing.add(stuck.id); // aged by its updated_at, which stays at creation while it runs
		const reported: string[] = [];
		for (let hour = 1; hour <= 7; hour++) {
			rp.sim.clock.advance(60 * MINUTE);
			create(1, { renderMs: 0 }); // the server's newest timestamps move on
			reported.push(...events(await poll(staticData)).filter((event) => event.endsWith(`:${slow.id}`) || event.endsWith(`:${stuck.id}`)));
			const pending = Object.keys(((Object.values(staticData)[0] as IDataObject).cursor as IDataObject).pending as IDataObject);
			expect({ hour, stuckPending: pending.includes(String(stuck.id)) }).toEqual({ hour, stuckPending: hour < 6 });
		}
		expect(reported).toEqual([`completed:${slow.id}`]);
		const warnings = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes(String(stuck.id)));
		expect(warnings).toEqual([expect.stringMatching(/stops waiting for 1 generation/)]);
		warn.mockRestore();
	});
});

describe('behaviour', () => {
	test('items carry the id, external id, state, raw status, timestamps and a download URL; Download Video attaches the mp4', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [done] = create(1, { renderMs: 0, externalId: () => 'mug-blue' });
		const items = await poll(staticData, { options: { downloadVideo: true, binaryPropertyName: 'video' } });
		expect(items[0].json).toEqual({
			event: 'completed',
			id: done.id,
			externalId: 'mug-blue',
			state: 'done',
			status: 'completed',
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
			downloadUrl: `${rp.sim.apiUrl}/generations/${done.id}`,
		});
		expect(items[0].binary?.video?.fileName).toBe('mug-blue.mp4');
		expect(sha256(await binaryBuffer(items[0].binary?.video))).toBe(sha256(videoBuffer(videoSeed(done.id), 50_000)));
	});

	test.each(['status', 'lifecycle'] as const)('statuses of the %s vocabulary work', async (vocabulary) => {
		rp.sim.vocabulary = vocabulary;
		const staticData: IDataObject = {};
		await poll(staticData);
		const [ok] = create(1, { renderMs: MINUTE });
		const [bad] = create(1, { renderMs: MINUTE, outcome: 'canceled' });
		expect(await poll(staticData)).toEqual([]);
		rp.sim.clock.advance(2 * MINUTE);
		const items = await poll(staticData);
		expect(items.map((item) => [item.json.event, item.json.id, item.json.state])).toEqual([
			['completed', ok.id, 'done'],
			['failed', bad.id, 'failed'],
		]);
	});

	test('Generation Created is reported once, then its completion once', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [generation] = create(1, { renderMs: MINUTE });
		expect(events(await poll(staticData, { events: ['created', 'completed'] }))).toEqual([`created:${generation.id}`]);
		rp.sim.clock.advance(2 * MINUTE);
		expect(events(await poll(staticData, { events: ['created', 'completed'] }))).toEqual([`completed:${generation.id}`]);
		expect(events(await poll(staticData, { events: ['created', 'completed'] }))).toEqual([]);
	});

	test('filter by external id prefix or pattern; a bad pattern is a clear error', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const mixed = create(4, { renderMs: 0, externalId: (i) => ['shop-a-1', 'shop-b-1', 'shop-a-x', 'other'][i] });
		const prefix = await poll(JSON.parse(JSON.stringify(staticData)) as IDataObject, { filters: { externalIdPrefix: 'shop-a-' } });
		expect(prefix.map((item) => item.json.externalId)).toEqual(['shop-a-1', 'shop-a-x']);
		const pattern = await poll(JSON.parse(JSON.stringify(staticData)) as IDataObject, { filters: { externalIdPattern: '^shop-\\w-\\d$' } });
		expect(pattern.map((item) => item.json.id)).toEqual([mixed[0].id, mixed[1].id]);
		await expect(poll(staticData, { filters: { externalIdPattern: '([' } })).rejects.toThrow(/External ID Pattern is not a valid regular expression/);
	});

	test('manual mode returns the most recent match as a sample and does not move the cursor', async () => {
		create(3, { renderMs: 0, agoMs: 10 * MINUTE, externalId: (i) => `sku-${i}` });
		create(1, { renderMs: 60 * MINUTE, externalId: () => 'still-running' });
		const staticData: IDataObject = {};
		const sample = await poll(staticData, {}, 'manual');
		expect(sample.map((item) => item.json.externalId)).toEqual(['sku-2']);
		expect(staticData).toEqual({});
		expect(await poll(staticData)).toEqual([]); // the first real poll still starts from now
	});

	test('include recent generations on the first run when asked', async () => {
		create(2, { renderMs: 0, agoMs: 3 * MINUTE });
		create(2, { renderMs: 0, agoMs: 90 * MINUTE });
		const items = await poll({}, { options: { includeRecentMinutes: 10 } });
		expect(items).toHaveLength(2);
	});

	test('a cursor saved by the previous version is upgraded: its running generations and newer ones are reported once', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [running] = create(1, { renderMs: 5 * MINUTE });
		await poll(staticData);
		const nodeData = Object.values(staticData)[0] as IDataObject;
		nodeData.cursor = { version: 1, watermarkId: running.id, pending: { [running.id]: running.createdAt } };
		const [newer] = create(1, { renderMs: 0 });
		rp.sim.clock.advance(6 * MINUTE);
		expect(events(await poll(staticData)).sort()).toEqual([`completed:${running.id}`, `completed:${newer.id}`].sort());
		expect((nodeData.cursor as IDataObject).version).toBe(2);
		rp.sim.clock.advance(MINUTE);
		expect(await poll(staticData)).toEqual([]);
	});

	test('API down during a poll: an error, the cursor stays, nothing is lost', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [generation] = create(1, { renderMs: 0 });
		const before = JSON.stringify(staticData);
		rp.sim.inject({ path: '/api/v1/generations', fault: { kind: 'status', status: 500 } });
		await expect(poll(staticData)).rejects.toThrow(/RotateProduct/);
		expect(JSON.stringify(staticData)).toBe(before);
		expect(events(await poll(staticData))).toEqual([`completed:${generation.id}`]);
	});
});

/**
 * What a poll may cost: 2 requests at the ends (first page, and the last page for oldest-first), one page
 * per 100 rows that can have changed (created in the late window of 10 minutes, with 2 minutes of slack,
 * or since the oldest generation still running at the last successful poll), one page of boundary
 * slack, and up to 5 direct status calls for running generations the walk did not reach.
 */
function costBound(created: Generation[], previousPoll: number): number {
	const now = rp.sim.clock.now();
	const running = created.filter((g) => g.settlesAt > previousPoll).map((g) => g.createdAt);
	const since = Math.min(now - 12 * MINUTE, ...running);
	const rows = rp.sim.generationsOf(KEY).filter((g) => g.createdAt >= since && g.createdAt <= now).length;
	return 2 + Math.ceil(rows / 100) + 1 + 5;
}

const VIDEO = /^\/api\/v1\/generations\/\d+$/;
const LIST_PATH = '/api/v1/generations';
const videoRequests = () => rp.sim.requests.filter((r) => VIDEO.test(r.path)).length;
const listRequests = () => rp.sim.requests.filter((r) => r.path === LIST_PATH).length;
const completedOf = (generations: Generation[]) => generations.map((g) => `completed:${g.id}`);

/** Waits (real time) until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
	for (let i = 0; i < 2_000 && !ready(); i++) await new Promise((resolve) => setImmediate(resolve));
	expect(ready()).toBe(true);
}

/** Each item of a completed event carries its own mp4 (the simulator's bytes for that id). */
async function expectOwnVideos(items: INodeExecutionData[]): Promise<void> {
	for (const item of items) {
		expect({ id: item.json.id, downloadError: item.json.downloadError }).toEqual({ id: item.json.id, downloadError: undefined });
		const bytes = await binaryBuffer(item.binary?.data);
		expect({ id: item.json.id, sha: sha256(bytes) }).toEqual({ id: item.json.id, sha: sha256(videoBuffer(videoSeed(item.json.id as number), 50_000)) });
	}
}

describe('overlapping polls (n8n starts a poll every interval, whether the last one returned or not)', () => {
	test.each(['newest-first', 'oldest-first'] as const)('poll B started while poll A downloads reports nothing and returns after A; every event once (list %s)', async (order) => {
		rp.sim.listOrder = order;
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(60, { renderMs: 0 });
		const download = { options: { downloadVideo: true, maxDownloadsPerPoll: 40 } };
		rp.sim.inject({ path: VIDEO, times: 3, fault: { kind: 'slow', delayMs: 150 } });
		rp.sim.resetLog();
		let aDone = false;
		const a = poll(staticData, download).then((items) => {
			aDone = true;
			return items;
		});
		await until(() => videoRequests() > 0); // A is mid-download
		const b = await poll(staticData, download);
		expect({ aDoneWhenBReturned: aDone, b: events(b) }).toEqual({ aDoneWhenBReturned: true, b: [] });
		const first = await a;
		expect(first).toHaveLength(40);
		const rest = await poll(staticData, download);
		const all = [...first, ...rest];
		expect(events(all)).toEqual(completedOf(batch));
		await expectOwnVideos(all);
		expect(await poll(staticData, download)).toEqual([]);
	});

	test('three polls started together: one works, the others report nothing; then the backlog goes on in order', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(30, { renderMs: 0 });
		const download = { options: { downloadVideo: true, maxDownloadsPerPoll: 10 } };
		const results = await Promise.all([poll(staticData, download), poll(staticData, download), poll(staticData, download)]);
		expect(results.map((items) => items.length).sort()).toEqual([0, 0, 10]);
		const reported = results.flat();
		for (let i = 0; i < 3; i++) reported.push(...(await poll(staticData, download)));
		expect(events(reported)).toEqual(completedOf(batch));
	});

	test('a poll whose memory another poll saved in the meantime (outside this process\'s view) reports nothing and saves nothing', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(5, { renderMs: 0 });
		const other = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		rp.sim.beforeListPage = () => {
			// Another process's poll of the same memory saves first (what the commit number guards).
			const memory = Object.values(staticData)[0] as IDataObject;
			const saved = (Object.values(other)[0] as IDataObject).cursor as IDataObject;
			memory.cursor = { ...saved, commit: Number(saved.commit) + 1 };
			rp.sim.beforeListPage = undefined;
		};
		expect(await poll(staticData)).toEqual([]);
		const memory = (Object.values(staticData)[0] as IDataObject).cursor as IDataObject;
		expect(memory.commit).toBe(Number(((Object.values(other)[0] as IDataObject).cursor as IDataObject).commit) + 1);
		expect(events(await poll(staticData))).toEqual(completedOf(batch)); // the winner's memory had not reported them
	});

	test('what a poll saves is a fresh copy: the object a poll saved is never changed by a later poll, and changing the items does not reach the memory', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(3, { renderMs: 0 });
		const download = { options: { downloadVideo: true, maxDownloadsPerPoll: 1 } };
		const memory = () => (Object.values(staticData)[0] as IDataObject).cursor as IDataObject;
		const first = await poll(staticData, download);
		first[0].json.id = -1;
		const saved = memory();
		const savedText = JSON.stringify(saved);
		expect((saved.outbox as IDataObject[]).map((owed) => (owed.generation as IDataObject).id)).toEqual([batch[1].id, batch[2].id]);
		const second = await poll(staticData, download);
		for (const item of second) item.json.status = 'tampered';
		expect(JSON.stringify(saved)).toBe(savedText); // the later poll saved a new object
		expect(memory()).not.toBe(saved);
		const third = await poll(staticData, download);
		expect([...first, ...second, ...third].slice(1).map((item) => item.json.id)).toEqual([batch[1].id, batch[2].id]);
		expect(third[0].json.status).toBe('completed');
	});
});

describe('a poll\'s work is bounded: the backlog goes on over the next polls', () => {
	test('700 finished generations with Download Video: each reported exactly once with its own file, <= 25 downloads and a bounded number of list requests a poll', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(700, { renderMs: 30_000 });
		rp.sim.clock.advance(MINUTE);
		const reported: INodeExecutionData[] = [];
		const perPoll: Array<{ downloads: number; lists: number }> = [];
		for (let round = 0; round < 40 && reported.length < 700; round++) {
			rp.sim.resetLog();
			reported.push(...(await poll(staticData, { options: { downloadVideo: true } })));
			perPoll.push({ downloads: videoRequests(), lists: listRequests() });
			rp.sim.clock.advance(MINUTE);
		}
		expect(events(reported)).toEqual(completedOf(batch)); // in order, each once
		await expectOwnVideos(reported);
		expect(perPoll.filter((cost) => cost.downloads > 25 || cost.lists > 10)).toEqual([]);
		expect(perPoll).toHaveLength(28); // 700 / 25
		expect(await poll(staticData, { options: { downloadVideo: true } })).toEqual([]);
	});

	test('a download that fails (500) is tried again on the next poll and then reported with its file; events behind it wait, in order', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const batch = create(4, { renderMs: 0 });
		const download = { options: { downloadVideo: true } };
		rp.sim.inject({ path: `${LIST_PATH}/${batch[1].id}`, times: 1, fault: { kind: 'status', status: 500 } });
		const first = await poll(staticData, download);
		expect(events(first)).toEqual(completedOf(batch.slice(0, 1)));
		const second = await poll(staticData, download);
		expect(events(second)).toEqual(completedOf(batch.slice(1)));
		await expectOwnVideos([...first, ...second]);
	});

	test('a download that keeps failing is reported after 3 polls with a downloadError; a 404 is reported at once', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const [broken, gone, fine] = create(3, { renderMs: 0 });
		const download = { options: { downloadVideo: true } };
		rp.sim.inject({ path: `${LIST_PATH}/${broken.id}`, times: 3, fault: { kind: 'status', status: 500 } });
		rp.sim.inject({ path: `${LIST_PATH}/${gone.id}`, times: 1, fault: { kind: 'status', status: 404 } });
		expect(await poll(staticData, download)).toEqual([]);
		expect(await poll(staticData, download)).toEqual([]);
		const third = await poll(staticData, download);
		expect(third.map((item) => [item.json.id, item.binary === undefined, typeof item.json.downloadError])).toEqual([
			[broken.id, true, 'string'],
			[gone.id, true, 'string'],
			[fine.id, false, 'undefined'],
		]);
		expect(third[0].json.downloadError).toMatch(/failed on 3 polls in a row/);
		expect(await poll(staticData, download)).toEqual([]);
	});
});

describe('the list walker against a server that gives smaller pages, or a total that lies', () => {
	const cases: Array<[string, { cap?: number; total?: (n: number) => number }]> = [
		['pages capped at 50', { cap: 50 }],
		['pages capped at 37', { cap: 37 }],
		['a total stuck at its first value', {}],
		['a total 500 too high', { total: (n) => n + 500 }],
		['a total a billion too high', { total: (n) => n + 1e9 }],
		['a total half the truth, pages capped at 50', { cap: 50, total: (n) => Math.floor(n / 2) }],
	];
	describe.each(['newest-first', 'oldest-first'] as const)('list %s', (order) => {
		test.each(cases)('%s: 1,200 generations over 12 polls, every end reported once, list requests a poll bounded', async (_name, server) => {
			rp.sim.listOrder = order;
			create(150, { agoMs: 3 * 60 * MINUTE, renderMs: 0 });
			const behaviour = rp.sim.listBehaviour;
			behaviour.pageSizeCap = server.cap;
			const stuckAt = 150;
			behaviour.reportedTotal = server.total ?? (server.cap === undefined ? () => stuckAt : undefined);
			const staticData: IDataObject = {};
			expect(await poll(staticData)).toEqual([]);
			const created: Generation[] = [];
			const reported: string[] = [];
			const lists: number[] = [];
			const bounds: number[] = [];
			for (let round = 0; round < 14; round++) {
				rp.sim.clock.advance(MINUTE);
				if (round < 12) created.push(...create(100, { renderMs: 90_000 }));
				rp.sim.resetLog();
				// costBound's rows at the server's page size, plus the page after a full last one (oldest first),
				// plus, with a total that lies, finding the list's end: about 2·log2 of the pages the list or its total spans.
				const pageSize = server.cap ?? 100;
				const rows = rp.sim.generationsOf(KEY).filter((g) => g.createdAt >= rp.sim.clock.now() - 12 * MINUTE).length;
				const listed = rp.sim.generationsOf(KEY).length;
				const pages = Math.max(listed, behaviour.reportedTotal?.(listed) ?? 0) / pageSize;
				const findEnd = behaviour.reportedTotal ? 2 * Math.ceil(Math.log2(pages + 1)) : 0;
				bounds.push(2 + Math.ceil(rows / pageSize) + 1 + 1 + 5 + findEnd);
				reported.push(...events(await poll(staticData)));
				lists.push(listRequests());
			}
			rp.sim.clock.advance(5 * MINUTE);
			reported.push(...events(await poll(staticData)));
			expect(reported.sort()).toEqual(completedOf(created).sort());
			expect(lists.filter((count, round) => count > bounds[round])).toEqual([]);
		});
	});
});
