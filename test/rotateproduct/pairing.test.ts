/**
 * Bulk pairing through n8n's engine, swept over what RotateProduct's docs leave
 * open: `failedGenerations[].id` as the request index or as the failure's
 * ordinal, `generations` in request order or shuffled, External IDs absent,
 * distinct, partly set or duplicated (same or different products), rejected
 * items anywhere. For every case: no output carries another product's
 * generation, every created generation is output exactly once (paired, or
 * unpaired naming its item among the candidates), and every item gets an
 * output; without Continue On Fail the error names every created id.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FailedIdReading, GenerationsOrder } from '../simulators/rotateproduct/RotateProductSimulator';
import { generateFromProducts, KEY, OTHER_KEY, useRotateProduct } from './fixture';
import { seededRandom } from '../helpers/seeded';

const rp = useRotateProduct();

type IdMode = 'none' | 'distinct' | 'some' | 'duplicates' | 'duplicatesSameProduct';

interface Case {
	seed: number;
	reading: FailedIdReading;
	order: GenerationsOrder;
	idMode: IdMode;
	input: IDataObject[];
	rejected: Set<number>;
}

function makeCase(seed: number): Case {
	const next = seededRandom(seed);
	const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
	const count = 1 + Math.floor(next() * 10);
	const idMode = pick(['none', 'distinct', 'some', 'duplicates', 'duplicatesSameProduct'] as const);
	const rejected = new Set<number>();
	const failureRate = pick([0, 0, 0.2, 0.5]);
	for (let i = 0; i < count; i++) if (next() < failureRate) rejected.add(i);
	const input = Array.from({ length: count }, (_v, i): IDataObject => {
		const pool = Math.floor(next() * 3);
		const item: IDataObject = { image: `https://shop.example/img/${seed}-${i}${rejected.has(i) ? '-reject' : ''}.jpg` };
		if (idMode === 'distinct') item.sku = `sku-${i}`;
		if (idMode === 'some' && next() < 0.5) item.sku = `sku-${i}`;
		if (idMode === 'duplicates') item.sku = `sku-${pool}`;
		if (idMode === 'duplicatesSameProduct') {
			item.sku = `sku-${pool}`;
			if (!rejected.has(i)) item.image = `https://shop.example/img/${seed}-product-${pool}.jpg`;
		}
		return item;
	});
	return { seed, reading: pick(['requestIndex', 'ordinal'] as const), order: pick(['request', 'shuffled'] as const), idMode, input, rejected };
}

/** The input items whose product a generation was made from (identical products are all right). */
function ownersOf(generationId: number, input: IDataObject[]): number[] {
	const made = rp.sim.generation(generationId)?.input;
	return input.flatMap((item, index) =>
		item.image === made?.imageUrl && (item.sku ?? null) === (made?.externalId ?? null) ? [index] : [],
	);
}

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
}

function setUp(c: Case): void {
	rp.sim.failedIdReading = c.reading;
	rp.sim.generationsOrder = c.order;
	rp.sim.rejectItem = (input) => (String(input.imageUrl).includes('-reject') ? `Image ${String(input.imageUrl)} could not be downloaded` : undefined);
}

const SEEDS = Array.from({ length: 40 }, (_v, i) => 1000 + i);

test.each(SEEDS)('seed %i: never a generation on the wrong item, never a created id missing', async (seed) => {
	const c = makeCase(seed);
	setUp(c);
	const { items, error } = await rp.run(generateFromProducts, c.input, { continueOnFail: true });
	expect(error).toBeUndefined();
	const createdIds = rp.sim.generationsOf(KEY).map((g) => g.id);
	expect(createdIds).toHaveLength(c.input.length - c.rejected.size);

	const outputIds: number[] = [];
	const answered = new Set<number>();
	for (const item of items) {
		const indexes = pairedIndexes(item);
		indexes.forEach((index) => answered.add(index));
		if (item.json.error !== undefined) {
			expect(item.json.id).toBeUndefined();
			continue;
		}
		const id = item.json.id as number;
		outputIds.push(id);
		const owners = ownersOf(id, c.input);
		if (item.json.unpaired === true) {
			// Named with the items it may belong to: its true item is among them.
			expect(indexes).toEqual(item.json.candidateItems);
			expect(owners.some((owner) => indexes.includes(owner))).toBe(true);
		} else {
			expect(indexes).toHaveLength(1);
			expect(owners).toContain(indexes[0]);
		}
	}
	expect([...outputIds].sort((a, b) => a - b)).toEqual(createdIds);
	expect([...answered].sort((a, b) => a - b)).toEqual(c.input.map((_item, index) => index));
	for (const index of c.rejected) {
		expect(items.some((item) => item.json.error !== undefined && pairedIndexes(item).includes(index))).toBe(true);
	}
	// Distinct External IDs, or no failures in request order, or duplicates of one product and no failures: everything is paired.
	if (c.idMode === 'distinct' || (c.rejected.size === 0 && (c.order === 'request' || c.idMode === 'duplicatesSameProduct'))) {
		expect(items.filter((item) => item.json.unpaired === true)).toEqual([]);
		expect(items.filter((item) => item.json.error !== undefined)).toHaveLength(c.rejected.size);
	}
});

test.each(SEEDS.slice(0, 12))('seed %i without Continue On Fail: the error names every created generation', async (seed) => {
	const c = makeCase(seed);
	setUp(c);
	const { items, error } = await rp.run(generateFromProducts, c.input, { key: OTHER_KEY });
	const created = rp.sim.generationsOf(OTHER_KEY).map((g) => g.id);
	if (error === undefined) {
		expect(items.map((item) => item.json.id).sort()).toEqual([...created].sort());
		return;
	}
	const description = (error as { description?: string }).description ?? '';
	for (const id of created) expect(description).toContain(`generation ${id}`);
});

test('items 3 and 7 rejected, ids read as ordinals, no External IDs: nothing is guessed', async () => {
	rp.sim.failedIdReading = 'ordinal';
	rp.sim.rejectItem = (_input, index) => (index === 3 || index === 7 ? 'Image could not be downloaded' : undefined);
	const input = Array.from({ length: 10 }, (_v, i) => ({ image: `https://shop.example/img/${i}.jpg` }));
	const { items } = await rp.run(generateFromProducts, input, { continueOnFail: true });
	const unpaired = items.filter((item) => item.json.unpaired === true);
	expect(unpaired).toHaveLength(8);
	expect(items.filter((item) => item.json.error !== undefined)).toHaveLength(10);
	expect(String(items.find((item) => item.json.error !== undefined)?.json.error)).toMatch(/distinct External ID/);
});

test('items 3 and 7 rejected, ids read as ordinals, distinct External IDs: every item gets its own video', async () => {
	rp.sim.failedIdReading = 'ordinal';
	rp.sim.generationsOrder = 'shuffled';
	rp.sim.rejectItem = (_input, index) => (index === 3 || index === 7 ? 'Image could not be downloaded' : undefined);
	const input = Array.from({ length: 10 }, (_v, i) => ({ image: `https://shop.example/img/${i}.jpg`, sku: `sku-${i}` }));
	const { items } = await rp.run(generateFromProducts, input, { continueOnFail: true });
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		if (index === 3 || index === 7) expect(item.json.error).toMatch(/RotateProduct (rejected|created no generation for) item/);
		else expect(rp.sim.generation(item.json.id as number)?.input.imageUrl).toBe(`https://shop.example/img/${index}.jpg`);
	});
});
