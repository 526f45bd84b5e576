/**
 * A paid POST whose answer is lost after the service may have processed it (a
 * reset, a 502/504, an unreadable body) is never sent again. RotateProduct finds
 * the generations it created by External ID; whatever it cannot find is
 * reported as "may have been processed", never as "try again".
 */
import type { Fault } from '../simulators/common/faults';
import { avatarVideo, JOBS, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const AFTER_PROCESSING: Array<[string, Fault]> = [
	['reset after processing', { kind: 'resetAfterProcessing' }],
	['502 after processing', { kind: 'statusAfterProcessing', status: 502 }],
	['504 after processing', { kind: 'statusAfterProcessing', status: 504 }],
	['malformed body after processing', { kind: 'malformedJson' }],
];

function descriptionOf(error: unknown): string {
	return (error as { description?: string } | undefined)?.description ?? '';
}

describe('RotateProduct', () => {
	const rp = useRotateProduct();

	test.each(AFTER_PROCESSING)('%s with External IDs: the created generations are recovered, no second POST', async (_name, fault) => {
		// An older generation with another SKU and lots of history do not confuse the match.
		rp.sim.seed(KEY, products(250, 100).map((p) => ({ imageUrl: p.image as string, externalId: p.sku as string })), { renderMs: 0 });
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault });
		const { items, error } = await rp.run(generateFromProducts, products(5));
		expect(error).toBeUndefined();
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		const created = rp.sim.generationsOf(KEY).filter((g) => /^sku-[0-4]$/.test(String(g.externalId)));
		expect(created).toHaveLength(5);
		expect(items.map((item) => [item.pairedItem, item.json.id, item.json.externalId, item.json.recovered])).toEqual(
			created.map((g, index) => [{ item: index }, g.id, `sku-${index}`, true]),
		);
		expect(rp.sim.account(KEY)?.credits).toBe(100_000 - 5 * 5);
	});

	test('items without an External ID are reported as possibly processed, and only they', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'statusAfterProcessing', status: 502 } });
		const input = [...products(2), { image: 'https://shop.example/img/x.jpg' }];
		const { items } = await rp.run(generateFromProducts, input, { continueOnFail: true });
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(items.map((item) => item.json.recovered ?? item.json.error !== undefined)).toEqual([true, true, true]);
		expect(items[2].json.error).toEqual(expect.any(String));
		expect(items[2].json.errorDescription).toMatch(/may have processed this request/);
		expect(items[2].json.errorDescription).toMatch(/Items 2 were not found by External ID/);
		expect(items[2].json.errorDescription).not.toMatch(/try again/i);
	});

	test('without Continue On Fail the unfound items stop the node; the recovered ones are named in the error', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'resetAfterProcessing' } });
		const input = [...products(2), { image: 'https://shop.example/img/x.jpg' }];
		const { error } = await rp.run(generateFromProducts, input);
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		const ids = rp.sim.generationsOf(KEY).map((g) => g.id);
		expect(descriptionOf(error)).toMatch(/may have processed this request/);
		for (const [index, id] of ids.slice(0, 2).entries()) expect(descriptionOf(error)).toContain(`item ${index}: generation ${id}`);
		expect(descriptionOf(error)).not.toMatch(/try again/i);
	});
});

describe('RotateProduct re-runs: recovery never hands back an older generation as new', () => {
	const rp = useRotateProduct();

	test.each([
		['right after the first run', 0],
		['a minute later, server clock 2 h ahead', 2 * 3600_000],
		['a minute later, server clock 2 h behind', -2 * 3600_000],
	])('a 502 with nothing created, %s: no item comes back recovered', async (_name, skew) => {
		rp.sim.serverClockSkewMs = skew;
		rp.sim.outcomeOf = (_input, index) => (index === 1 ? 'failed' : 'success');
		const first = await rp.run(generateFromProducts, products(3));
		expect(first.error).toBeUndefined();
		const earlier = new Set(rp.sim.generationsOf(KEY).map((g) => g.id));
		if (skew !== 0) rp.sim.clock.advance(60_000);
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'status', status: 502 } });
		const { items } = await rp.run(generateFromProducts, products(3), { continueOnFail: true });
		expect(rp.sim.generationsOf(KEY)).toHaveLength(3);
		expect(items).toHaveLength(3);
		for (const item of items) {
			expect(item.json.recovered).toBeUndefined();
			expect(earlier.has(item.json.id as number)).toBe(false);
			expect(item.json.errorDescription).toMatch(/may have processed this request/);
		}
	});

	test('an older generation the list shows only after the POST (server 2 h ahead) is not taken as created by it', async () => {
		rp.sim.serverClockSkewMs = 2 * 3600_000;
		const [late] = rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/0.jpg', externalId: 'sku-0' }], {
			createdAt: rp.sim.clock.now() - 10 * 60_000,
		});
		// Hidden from the list until the POST was sent (a row that shows up late, with the highest id).
		rp.sim.listBehaviour.visibleFrom.set(late.id, Number.MAX_SAFE_INTEGER);
		rp.sim.beforeListPage = () => {
			if (rp.sim.count('POST', GENERATIONS) > 0) rp.sim.listBehaviour.visibleFrom.delete(late.id);
		};
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'status', status: 502 } });
		const { items } = await rp.run(generateFromProducts, products(1), { continueOnFail: true });
		expect(rp.sim.count('GET', GENERATIONS)).toBeGreaterThan(1);
		expect(items[0].json.recovered).toBeUndefined();
		expect(items[0].json.id).toBeUndefined();
	});

	test('a 502 after processing on a re-run: the new generations are recovered, not the older ones', async () => {
		await rp.run(generateFromProducts, products(3));
		const earlier = new Set(rp.sim.generationsOf(KEY).map((g) => g.id));
		rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'statusAfterProcessing', status: 502 } });
		const { items, error } = await rp.run(generateFromProducts, products(3));
		expect(error).toBeUndefined();
		const fresh = rp.sim.generationsOf(KEY).filter((g) => !earlier.has(g.id));
		expect(items.map((item) => [item.json.id, item.json.recovered])).toEqual(fresh.map((g) => [g.id, true]));
	});
});

describe('Colossyan', () => {
	const col = useColossyan();

	test.each(AFTER_PROCESSING)('%s: not sent again, and the error says it may have been processed', async (_name, fault) => {
		col.sim.inject({ method: 'POST', path: JOBS, fault });
		const { error } = await col.run(avatarVideo, [{ name: 'Ada' }]);
		expect(col.sim.count('POST', JOBS)).toBe(1);
		expect(descriptionOf(error)).toMatch(/Colossyan may have processed this request and charged for it/);
		expect(descriptionOf(error)).not.toMatch(/try again/i);
	});
});
