/**
 * RotateProduct holes found by the attack (test/attack/holes.test.ts), fixed:
 * each describe asserts the promise as the attacker stated it, plus a sweep of
 * its class.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FailedIdReading, GenerationsOrder } from '../simulators/rotateproduct/RotateProductSimulator';
import { generateFromProducts, KEY, useRotateProduct } from '../rotateproduct/fixture';
import { seededRandom } from '../helpers/seeded';

const rp = useRotateProduct();

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
}

type Echo = 'exact' | 'null' | 'number' | 'missing';

/** A server that stores/echoes `external_id` differently: null, as a number ("1" → 1), or not at all. */
function serverEchoesExternalIdsAs(echo: Echo): void {
	if (echo === 'exact') return;
	const sim = rp.sim as unknown as { create: (...args: unknown[]) => { externalId: unknown } };
	const create = sim.create.bind(rp.sim);
	sim.create = (...args: unknown[]) => {
		const generation = create(...args);
		if (echo === 'missing') delete generation.externalId;
		else generation.externalId = echo === 'null' ? null : generation.externalId === null ? null : Number(generation.externalId);
		return generation;
	};
}

describe('RotateProduct pairing: an external_id echoed as null or as a number is read as "this item had no External ID"', () => {
	test.each([
		['requestIndex', 'null'],
		['ordinal', 'null'],
		['requestIndex', 'number'],
		['ordinal', 'number'],
	] as const)(
		'item 0 (External ID "1") created, item 1 (no External ID) rejected, failed ids as %s, echo as %s: the generation never lands on item 1',
		async (reading, echo) => {
			rp.sim.failedIdReading = reading;
			serverEchoesExternalIdsAs(echo);
			rp.sim.rejectItem = (input) => (String(input.imageUrl).includes('-reject') ? 'Image could not be downloaded' : undefined);
			const input: IDataObject[] = [
				{ image: 'https://shop.example/img/a.jpg', sku: '1' },
				{ image: 'https://shop.example/img/b-reject.jpg' },
			];
			const { items, error } = await rp.run(generateFromProducts, input, { continueOnFail: true });
			expect(error).toBeUndefined();
			const [created] = rp.sim.generationsOf(KEY);
			expect(created.input.imageUrl).toBe('https://shop.example/img/a.jpg');
			const carrying = items.filter((item) => item.json.id === created.id);
			expect(carrying).toHaveLength(1);
			// Made from item 0's product: it must be on item 0, or unpaired with item 0 among the candidates.
			expect(pairedIndexes(carrying[0])).toContain(0);
		},
	);
});

describe('RotateProduct pairing swept over how the server echoes External IDs (exact, null, number, missing)', () => {
	interface Case {
		echo: Echo;
		reading: FailedIdReading;
		order: GenerationsOrder;
		input: IDataObject[];
		rejected: Set<number>;
	}
	function makeCase(seed: number): Case {
		const next = seededRandom(seed);
		const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
		const count = 1 + Math.floor(next() * 6);
		const idShare = pick([0, 0.5, 1]);
		const rejected = new Set<number>();
		const failureRate = pick([0, 0.3, 0.6]);
		for (let i = 0; i < count; i++) if (next() < failureRate) rejected.add(i);
		const input = Array.from({ length: count }, (_v, i): IDataObject => {
			const item: IDataObject = { image: `https://shop.example/img/${seed}-${i}${rejected.has(i) ? '-reject' : ''}.jpg` };
			// Digits, so a number echo (1 for "1") is what a sloppy server would send.
			if (next() < idShare) item.sku = String(1 + Math.floor(next() * count));
			return item;
		});
		const echo = pick(['exact', 'null', 'number', 'missing'] as const);
		return { echo, reading: pick(['requestIndex', 'ordinal'] as const), order: pick(['request', 'shuffled'] as const), input, rejected };
	}

	test.each(Array.from({ length: 40 }, (_v, i) => 7000 + i))('seed %i: never a generation on the wrong item, never a created id missing', async (seed) => {
		const c = makeCase(seed);
		rp.sim.failedIdReading = c.reading;
		rp.sim.generationsOrder = c.order;
		serverEchoesExternalIdsAs(c.echo);
		rp.sim.rejectItem = (input) => (String(input.imageUrl).includes('-reject') ? 'Image could not be downloaded' : undefined);
		const { items, error } = await rp.run(generateFromProducts, c.input, { continueOnFail: true });
		expect(error).toBeUndefined();
		const createdIds = rp.sim.generationsOf(KEY).map((generation) => generation.id);
		expect(createdIds).toHaveLength(c.input.length - c.rejected.size);
		const outputIds: number[] = [];
		for (const item of items) {
			if (item.json.error !== undefined) {
				expect(item.json.id).toBeUndefined();
				continue;
			}
			const id = item.json.id as number;
			outputIds.push(id);
			const made = rp.sim.generation(id)?.input.imageUrl;
			const owners = c.input.flatMap((entry, index) => (entry.image === made ? [index] : []));
			const indexes = pairedIndexes(item);
			if (item.json.unpaired !== true) expect(indexes).toHaveLength(1);
			expect({ seed: c, owners, indexes, on: owners.some((owner) => indexes.includes(owner)) }).toMatchObject({ on: true });
		}
		expect([...outputIds].sort((a, b) => a - b)).toEqual(createdIds);
	});
});

describe('RotateProduct Reuse Recent Generations: two items sharing an External ID', () => {
	test('a re-run where items 0 and 1 share sku-x but are different products: item 1 never gets item 0\'s video', async () => {
		const reusing = { ...generateFromProducts, options: { reuseRecent: true } };
		await rp.run(reusing, [{ image: 'https://shop.example/img/red.jpg', sku: 'sku-x' }]);
		const input: IDataObject[] = [
			{ image: 'https://shop.example/img/red.jpg', sku: 'sku-x' },
			{ image: 'https://shop.example/img/blue.jpg', sku: 'sku-x' },
		];
		const { items, error } = await rp.run(reusing, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		for (const item of items) {
			if (item.json.id === undefined || item.json.unpaired === true) continue;
			const made = rp.sim.generation(item.json.id as number)?.input;
			expect({ item: pairedIndexes(item), image: made?.imageUrl }).toEqual({
				item: pairedIndexes(item),
				image: input[pairedIndexes(item)[0]].image,
			});
		}
	});

	test.each(Array.from({ length: 20 }, (_v, i) => 8000 + i))(
		'seed %i: re-runs whose items share External IDs with the same or other products: an External ID that items of the run share for different videos is never reused; one whose items all ask for the same video still is',
		async (seed) => {
			const next = seededRandom(seed);
			const skus = 1 + Math.floor(next() * 3);
			const reusing = { ...generateFromProducts, options: { reuseRecent: true } };
			// The earlier run: one generation per External ID, of its product.
			const product = (sku: number) => `https://shop.example/img/${seed}-product-${sku}.jpg`;
			await rp.run(reusing, Array.from({ length: skus }, (_v, sku) => ({ image: product(sku), sku: `sku-${sku}` })));
			const input: IDataObject[] = Array.from({ length: 1 + Math.floor(next() * 6) }, (_v, i) => {
				const sku = Math.floor(next() * skus);
				const other = next() < 0.3;
				const end = !other && next() < 0.15;
				return { image: other ? `https://shop.example/img/${seed}-other-${i}.jpg` : product(sku), sku: `sku-${sku}`, ...(end ? { end: product(sku) } : {}) };
			});
			const parameters = { ...reusing, endImageUrl: '={{ $json.end ?? "" }}' };
			const { items, error } = await rp.run(parameters, input, { continueOnFail: true });
			expect(error).toBeUndefined();
			const video = (entry: IDataObject) => JSON.stringify([entry.image, entry.end ?? null]);
			const sameInRun = (sku: unknown) => new Set(input.filter((entry) => entry.sku === sku).map(video)).size === 1;
			const canonical = (entry: IDataObject) => entry.image === product(Number(String(entry.sku).slice(4))) && entry.end === undefined;
			for (const item of items) {
				if (item.json.id === undefined || item.json.unpaired === true) continue;
				const [index] = pairedIndexes(item);
				const entry = input[index];
				const made = rp.sim.generation(item.json.id as number)?.input;
				// Reused only when every item of this run with its External ID asks for the same video; then always.
				expect({ index, reused: item.json.reused === true }).toEqual({ index, reused: sameInRun(entry.sku) });
				// A new generation is the item's own product; a reused one, too, whenever the item asks for that External ID's product.
				if (item.json.reused !== true || canonical(entry)) expect({ index, image: made?.imageUrl }).toEqual({ index, image: entry.image });
			}
		},
	);
});

/** Makes the RotateProduct simulator send `value` as its Date header on every answer. */
function serverDateHeader(value: string): void {
	type Res = { setHeader(name: string, value: unknown): unknown };
	const sim = rp.sim as unknown as { route(request: unknown, reply: { res: Res }): void };
	const route = sim.route.bind(rp.sim);
	sim.route = (request, reply) => {
		const set = reply.res.setHeader.bind(reply.res);
		reply.res.setHeader = (name: string, header: unknown) => set(name, name.toLowerCase() === 'date' ? value : header);
		route(request, reply);
	};
}

describe('One timestamp reader: a garbage server Date header is not a clock', () => {
	test.each(['0 GMT', 'x 99 GMT', '2 3 GMT'])(
		'Date: "%s": a 3-hour-old generation (video expired) is not reused',
		async (header) => {
			const [old] = rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/0.jpg', externalId: 'sku-0' }], {
				renderMs: 0,
				createdAt: rp.sim.clock.now() - 3 * 3600_000,
			});
			serverDateHeader(header);
			const reusing = { ...generateFromProducts, options: { reuseRecent: true } };
			const { items, error } = await rp.run(reusing, [{ image: 'https://shop.example/img/0.jpg', sku: 'sku-0' }]);
			expect(error).toBeUndefined();
			expect(items[0].json.id).not.toBe(old.id);
			expect(items[0].json.reused).toBeUndefined();
		},
	);
});

describe('One timestamp reader (nodes/shared/time.ts): impossible timestamps are unreadable, not moved', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { serverTime, httpDate } = require('../../dist/nodes/shared/time.js') as {
		serverTime(text: unknown): number | undefined;
		httpDate(text: unknown): number | undefined;
	};
	test.each(['2025-02-31T00:00:00Z', '2025-05-08T24:30:00Z', '2025-05-08T11:58:24+99:00', '2025-05-08T11:58:24+05:75', '0099-05-08T00:00:00Z'])(
		'serverTime(%j) is undefined',
		(text) => expect(serverTime(text)).toBeUndefined(),
	);
	test.each(['0 GMT', '1 GMT', 'x 99 GMT', '2 3 GMT'])('httpDate(%j) is undefined', (text) => expect(httpDate(text)).toBeUndefined());
});

describe('RotateProduct recovery after a 502-after-processing: "created by this request" when the account mark cannot be read (a 400 on its list read)', () => {
	test.each(['mark unreadable'])('a generation with the same External ID made 0.5 s before the POST (other product) is not handed back as recovered', async () => {
		rp.sim.clock.freeze();
		rp.sim.clock.advance(950 - (rp.sim.clock.now() % 1000)); // the Date header then loses 0.95 s
		rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/old.jpg', externalId: 'sku-0' }], { createdAt: rp.sim.clock.now() - 500 });
		rp.sim.inject({ method: 'GET', path: '/api/v1/generations', fault: { kind: 'status', status: 400 } });
		rp.sim.inject({ method: 'POST', path: '/api/v1/generations', fault: { kind: 'statusAfterProcessing', status: 502 } });
		rp.sim.rejectItem = () => 'Image could not be downloaded'; // the POST creates nothing
		const { items } = await rp.run(generateFromProducts, [{ image: 'https://shop.example/img/new.jpg', sku: 'sku-0' }], { continueOnFail: true });
		expect(rp.sim.count('POST', '/api/v1/generations')).toBe(1);
		expect(items).toHaveLength(1);
		expect(items[0].json.recovered).toBeUndefined();
		expect(items[0].json.id).toBeUndefined();
	});
});

describe('RotateProduct recovery without the pre-POST mark recovers nothing, whatever the fault and the account', () => {
	const faults = {
		'502 after processing': { kind: 'statusAfterProcessing', status: 502 },
		'reset after processing': { kind: 'resetAfterProcessing' },
	} as const;
	test.each([
		['502 after processing', 'creates its generations'],
		['502 after processing', 'creates nothing'],
		['reset after processing', 'creates its generations'],
		['reset after processing', 'creates nothing'],
	] as const)('%s, the POST %s, an older same-ID row exists: no item is recovered and each error says to check Get Many', async (name, outcome) => {
		rp.sim.clock.freeze();
		rp.sim.clock.advance(950 - (rp.sim.clock.now() % 1000)); // the Date header then loses 0.95 s
		rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/old.jpg', externalId: 'sku-0' }], { createdAt: rp.sim.clock.now() - 500 });
		rp.sim.inject({ method: 'GET', path: '/api/v1/generations', fault: { kind: 'status', status: 400 } });
		rp.sim.inject({ method: 'POST', path: '/api/v1/generations', fault: faults[name] });
		if (outcome === 'creates nothing') rp.sim.rejectItem = () => 'Image could not be downloaded';
		const input = [
			{ image: 'https://shop.example/img/new.jpg', sku: 'sku-0' },
			{ image: 'https://shop.example/img/new-1.jpg', sku: 'sku-1' },
		];
		const { items } = await rp.run(generateFromProducts, input, { continueOnFail: true });
		expect(rp.sim.count('POST', '/api/v1/generations')).toBe(1);
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json.recovered).toBeUndefined();
			expect(item.json.id).toBeUndefined();
			expect(JSON.stringify(item.json)).toMatch(/Get Many/);
		}
	});

	test('control: with the mark read, the same 502 after processing recovers the generation the request made (so the test above can fail)', async () => {
		rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/old.jpg', externalId: 'sku-0' }], { createdAt: rp.sim.clock.now() - 500 });
		rp.sim.inject({ method: 'POST', path: '/api/v1/generations', fault: { kind: 'statusAfterProcessing', status: 502 } });
		const { items } = await rp.run(generateFromProducts, [{ image: 'https://shop.example/img/new.jpg', sku: 'sku-0' }], { continueOnFail: true });
		const [, made] = rp.sim.generationsOf(KEY);
		expect(items[0].json).toMatchObject({ id: made.id, recovered: true });
	});
});
