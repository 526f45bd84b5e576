/**
 * Attacks that HELD (pass today): hardening worth keeping. Each asserts a promise
 * of issues #24/#29 over a class of inputs the authors' own tests do not sweep.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { INodeParameters } from 'n8n-workflow';

import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';
import { avatarVideo, JOBS, TOKEN, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, KEY, useRotateProduct } from '../rotateproduct/fixture';
import { seededRandom } from '../helpers/seeded';

interface Summary {
	id: number;
	external_id: unknown;
}
interface Request {
	imageUrl: string;
	externalId?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pairGenerations } = require('../../dist/nodes/RotateProduct/helpers/pairing.js') as {
	pairGenerations(input: {
		items: Array<{ itemIndex: number; request: Request }>;
		generations: Summary[];
		failures: Array<{ id: unknown; error: unknown }>;
	}): {
		paired: Array<{ itemIndex: number; generation: Summary }>;
		notCreated: Array<{ itemIndex: number }>;
		unpaired: Array<{ generation: Summary; candidates: number[] }>;
		unsure: number[];
	};
};

describe('pairGenerations, swept over answers a faithful server may give (echo exact)', () => {
	const SEEDS = Array.from({ length: 3000 }, (_v, i) => 7000 + i);
	test('never a generation on a wrong item, every generation once, its owner among the candidates, no created item called not-created', () => {
		const problems: string[] = [];
		for (const seed of SEEDS) {
			const next = seededRandom(seed);
			const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
			const count = 1 + Math.floor(next() * 8);
			const idPool = pick([['a'], ['a', 'b'], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']]);
			const productPool = 1 + Math.floor(next() * 4);
			const withoutRate = pick([0, 0.3, 1]);
			const items = Array.from({ length: count }, (_v, itemIndex) => {
				const request: Request = { imageUrl: `p${Math.floor(next() * productPool)}` };
				if (next() >= withoutRate) request.externalId = pick(idPool);
				return { itemIndex: itemIndex * 3 + 1, request };
			});
			const rejected = items.map(() => next() < pick([0, 0.2, 0.6]));
			let nextId = 100 + Math.floor(next() * 50);
			const owner = new Map<number, number>();
			const generations: Summary[] = [];
			const failures: Array<{ id: unknown; error: unknown }> = [];
			const ordinal = next() < 0.5;
			const asNumber = next() < 0.5;
			items.forEach((item, position) => {
				if (rejected[position]) {
					const id = ordinal ? failures.length : position;
					failures.push({ id: asNumber ? id : String(id), error: `bad ${position}` });
					return;
				}
				const id = nextId++;
				owner.set(id, position);
				generations.push({ id, external_id: item.request.externalId ?? null });
			});
			if (next() < 0.5) generations.sort(() => next() - 0.5);
			const pairing = pairGenerations({ items, generations, failures });
			const seen = new Map<number, number>();
			const same = (a: number, b: number) =>
				a === b || (items[a].request.imageUrl === items[b].request.imageUrl && items[a].request.externalId === items[b].request.externalId);
			const positionOf = (itemIndex: number) => items.findIndex((item) => item.itemIndex === itemIndex);
			for (const { itemIndex, generation } of pairing.paired) {
				seen.set(generation.id, (seen.get(generation.id) ?? 0) + 1);
				if (!same(positionOf(itemIndex), owner.get(generation.id)!)) problems.push(`seed ${seed}: generation ${generation.id} on item ${itemIndex}`);
			}
			for (const { generation, candidates } of pairing.unpaired) {
				seen.set(generation.id, (seen.get(generation.id) ?? 0) + 1);
				if (!candidates.some((c) => same(positionOf(c), owner.get(generation.id)!))) problems.push(`seed ${seed}: ${generation.id} owner not a candidate`);
			}
			for (const generation of generations) if (seen.get(generation.id) !== 1) problems.push(`seed ${seed}: ${generation.id} output ${seen.get(generation.id) ?? 0} times`);
			for (const { itemIndex } of pairing.notCreated) {
				const position = positionOf(itemIndex);
				if (!rejected[position] && ![...owner.values()].some((p) => p !== position && same(p, position))) problems.push(`seed ${seed}: created item ${itemIndex} said not created`);
			}
		}
		expect(problems.slice(0, 10)).toEqual([]);
	});
});

describe('pairGenerations when failedGenerations is dirty (duplicated, dropped, phantom, "01", -1, null ids), echo exact', () => {
	test('20,000 answers: never a generation on a wrong item, each once, its owner among the candidates, no created item called not created', () => {
		const problems: string[] = [];
		for (let seed = 1; seed < 20_000; seed++) {
			const next = seededRandom(seed);
			const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
			const count = 1 + Math.floor(next() * 7);
			const idPool = pick([['a'], ['a', 'b'], ['a', 'b', 'c', 'd', 'e', 'f', 'g']]);
			const productPool = 1 + Math.floor(next() * 3);
			const withoutRate = pick([0, 0.3, 1]);
			const items = Array.from({ length: count }, (_v, itemIndex) => {
				const request: Request = { imageUrl: `p${Math.floor(next() * productPool)}` };
				if (next() >= withoutRate) request.externalId = pick(idPool);
				return { itemIndex, request };
			});
			const rejected = items.map(() => next() < pick([0, 0.3, 0.6]));
			let nextId = 100;
			const owner = new Map<number, number>();
			const generations: Summary[] = [];
			let failures: Array<{ id: unknown; error: unknown }> = [];
			const ordinal = next() < 0.5;
			items.forEach((item, position) => {
				if (rejected[position]) {
					failures.push({ id: String(ordinal ? failures.length : position), error: `bad ${position}` });
					return;
				}
				owner.set(nextId, position);
				generations.push({ id: nextId++, external_id: item.request.externalId ?? null });
			});
			const dirt = pick(['none', 'dup', 'drop', 'pad', 'neg', 'null', 'extra'] as const);
			if (dirt === 'dup' && failures.length > 0) failures.push({ ...failures[0] });
			if (dirt === 'drop') failures.pop();
			if (dirt === 'pad') failures = failures.map((f) => ({ ...f, id: `0${String(f.id)}` }));
			if (dirt === 'neg') failures = failures.map((f) => ({ ...f, id: -1 }));
			if (dirt === 'null') failures = failures.map((f) => ({ ...f, id: null }));
			if (dirt === 'extra') failures.push({ id: String(Math.floor(next() * count)), error: 'phantom' });
			if (next() < 0.5) generations.sort(() => next() - 0.5);
			const pairing = pairGenerations({ items, generations, failures });
			const same = (a: number, b: number) =>
				a === b || (items[a].request.imageUrl === items[b].request.imageUrl && items[a].request.externalId === items[b].request.externalId);
			const seen = new Map<number, number>();
			for (const { itemIndex, generation } of pairing.paired) {
				seen.set(generation.id, (seen.get(generation.id) ?? 0) + 1);
				if (!same(itemIndex, owner.get(generation.id)!)) problems.push(`seed ${seed} ${dirt}: generation ${generation.id} on item ${itemIndex}`);
			}
			for (const { generation, candidates } of pairing.unpaired) {
				seen.set(generation.id, (seen.get(generation.id) ?? 0) + 1);
				if (!candidates.some((c) => same(c, owner.get(generation.id)!))) problems.push(`seed ${seed} ${dirt}: owner of ${generation.id} not a candidate`);
			}
			for (const generation of generations) if (seen.get(generation.id) !== 1) problems.push(`seed ${seed} ${dirt}: ${generation.id} output ${seen.get(generation.id) ?? 0} times`);
			for (const { itemIndex } of pairing.notCreated) {
				if (!rejected[itemIndex] && ![...owner.values()].some((p) => p !== itemIndex && same(p, itemIndex))) problems.push(`seed ${seed} ${dirt}: created item ${itemIndex} said not created`);
			}
		}
		expect(problems.slice(0, 10)).toEqual([]);
	});
});

describe('RotateProduct through the engine', () => {
	const rp = useRotateProduct();

	function pairedIndexes(item: INodeExecutionData): number[] {
		const paired = item.pairedItem;
		const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
		return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
	}

	test.each(['requestIndex', 'ordinal'] as const)(
		'External IDs 1 (number), "1", " 1 ", "" and none on different products, item 2 rejected, ids as %s, shuffled: nothing on a wrong item, every id out',
		async (reading) => {
			rp.sim.failedIdReading = reading;
			rp.sim.generationsOrder = 'shuffled';
			rp.sim.rejectItem = (input) => (String(input.imageUrl).includes('-reject') ? 'Image could not be downloaded' : undefined);
			const input: IDataObject[] = [
				{ image: 'https://shop.example/img/n.jpg', sku: 1 },
				{ image: 'https://shop.example/img/s.jpg', sku: '1' },
				{ image: 'https://shop.example/img/x-reject.jpg', sku: '1' },
				{ image: 'https://shop.example/img/w.jpg', sku: ' 1 ' },
				{ image: 'https://shop.example/img/e.jpg', sku: '' },
				{ image: 'https://shop.example/img/none.jpg' },
			];
			const { items, error } = await rp.run(generateFromProducts, input, { continueOnFail: true });
			expect(error).toBeUndefined();
			const created = rp.sim.generationsOf(KEY).map((g) => g.id);
			const out: number[] = [];
			for (const item of items) {
				if (item.json.id === undefined) continue;
				out.push(item.json.id as number);
				const owner = input.findIndex((entry) => entry.image === rp.sim.generation(item.json.id as number)?.input.imageUrl);
				expect(pairedIndexes(item)).toContain(owner);
			}
			expect(out.sort((a, b) => a - b)).toEqual(created);
		},
	);

	test('650 items with distinct External IDs, batch size 200, rejections in every batch, Reuse on for half: each id once, each on its own item', async () => {
		rp.sim.rejectItem = (input) => (String(input.imageUrl).includes('-reject') ? 'Image could not be downloaded' : undefined);
		rp.sim.generationsOrder = 'shuffled';
		const input: IDataObject[] = Array.from({ length: 650 }, (_v, i) => ({
			image: `https://shop.example/img/${i}${i % 97 === 5 ? '-reject' : ''}.jpg`,
			sku: `sku-${i}`,
		}));
		rp.sim.seed(KEY, input.filter((_v, i) => i % 2 === 0 && i % 97 !== 5).map((p) => ({ imageUrl: p.image as string, externalId: p.sku as string })));
		const { items, error } = await rp.run({ ...generateFromProducts, options: { reuseRecent: true, batchSize: 200 } }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(rp.sim.count('POST', '/api/v1/generations')).toBe(2);
		const ids = items.filter((item) => item.json.id !== undefined).map((item) => item.json.id as number);
		expect(new Set(ids).size).toBe(ids.length);
		for (const item of items) {
			if (item.json.id === undefined) continue;
			const [index] = pairedIndexes(item);
			expect(rp.sim.generation(item.json.id as number)?.input.imageUrl).toBe(input[index].image);
		}
		expect(items.filter((item) => item.json.error !== undefined)).toHaveLength(input.filter((p) => String(p.image).includes('-reject')).length);
	});
});

describe('Colossyan', () => {
	const col = useColossyan({ renderMs: 10 * 60_000 });
	let n8n: WaitingServer;
	beforeEach(async () => {
		n8n = await startWaitingServer();
	});
	afterEach(async () => await n8n.stop());
	const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
	const start = async (names: string[]) =>
		await n8n.start(
			{ type: 'colossyan', parameters: callbackWait },
			names.map((name, item) => ({ json: { name }, pairedItem: { item } })),
			{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
		);

	test("execution A's signed callback sent to execution B (same node): 401, no status read, B keeps waiting; A still continues", async () => {
		const a = await start(['Ada']);
		const b = await start(['Grace']);
		const [jobA] = n8n.output(a.id).map((item) => String(item.json.jobId));
		const [jobB] = n8n.output(b.id).map((item) => String(item.json.jobId));
		col.sim.end(jobB);
		const url = new URL(String(col.sim.job(jobA)!.callbackUrl));
		url.pathname = url.pathname.replace(`/${a.id}/`, `/${b.id}/`);
		const reads = col.sim.count('GET', new RegExp(`^${JOBS}/`));
		const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: jobB, status: 'finished' }) });
		expect(forged.status).toBe(401);
		expect(col.sim.count('GET', new RegExp(`^${JOBS}/`))).toBe(reads);
		expect(n8n.executions.get(b.id)).toMatchObject({ status: 'waiting', starts: 1 });
		col.sim.end(jobA);
		await col.sim.settleCallbacks();
		expect(await n8n.settled(a.id)).toMatchObject({ status: 'success', starts: 2 });
	});

	test('a job cancelled while waiting (simulator default: status "deleted") ends the wait at the next callback', async () => {
		const execution = await start(['Ada', 'Grace']);
		const [cancelled, finished] = n8n.output(execution.id).map((item) => String(item.json.jobId));
		expect((await col.run({ resource: 'job', operation: 'cancel', jobId: cancelled }, [{}])).error).toBeUndefined();
		col.sim.end(finished);
		await col.sim.settleCallbacks();
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(n8n.output(execution.id).map((item) => item.json.state)).toEqual(['failed', 'done']);
	});

	test.each([{ kind: 'resetAfterProcessing' }, { kind: 'statusAfterProcessing', status: 502 }] as const)(
		'Create Instant Avatar, answer lost after processing (%o): sent once, the error says it may have been made',
		async (fault) => {
			col.sim.inject({ method: 'POST', path: '/api/v1/assets/actors', times: 1, fault });
			const { error } = await col.run(
				{ resource: 'asset', operation: 'createInstantAvatar', displayName: 'Ada', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' },
				[{}],
			);
			expect(col.sim.count('POST', '/api/v1/assets/actors')).toBe(1);
			expect(col.sim.instantAvatars).toHaveLength(1);
			expect(`${error?.message} ${String((error as { description?: unknown } | undefined)?.description)}`).toMatch(/may have/i);
		},
	);
});

describe('RotateProduct recovery after a 502-after-processing: "created by this request" when the account mark is read', () => {
	const rp = useRotateProduct();
	test.each(['mark read'])('a generation with the same External ID made 0.5 s before the POST (other product) is not handed back as recovered', async () => {
		rp.sim.clock.freeze();
		rp.sim.clock.advance(950 - (rp.sim.clock.now() % 1000)); // the Date header then loses 0.95 s
		rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/old.jpg', externalId: 'sku-0' }], { createdAt: rp.sim.clock.now() - 500 });
		rp.sim.inject({ method: 'POST', path: '/api/v1/generations', fault: { kind: 'statusAfterProcessing', status: 502 } });
		rp.sim.rejectItem = () => 'Image could not be downloaded'; // the POST creates nothing
		const { items } = await rp.run(generateFromProducts, [{ image: 'https://shop.example/img/new.jpg', sku: 'sku-0' }], { continueOnFail: true });
		expect(rp.sim.count('POST', '/api/v1/generations')).toBe(1);
		expect(items).toHaveLength(1);
		expect(items[0].json.recovered).toBeUndefined();
		expect(items[0].json.id).toBeUndefined();
	});
});
