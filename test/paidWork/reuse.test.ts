/** Generate's "Reuse Recent Generations": a re-run does not pay twice, at a bounded cost. */
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const rp = useRotateProduct();
const reusing = { ...generateFromProducts, options: { reuseRecent: true } };

test('a second run of the same 20 items: 0 POSTs, 20 reused items, the same ids', async () => {
	const first = await rp.run(reusing, products(20));
	expect(first.error).toBeUndefined();
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	rp.sim.resetLog();
	const second = await rp.run(reusing, products(20));
	expect(second.error).toBeUndefined();
	expect(rp.sim.count('POST', GENERATIONS)).toBe(0);
	expect(second.items.map((item) => [item.pairedItem, item.json.id, item.json.reused])).toEqual(
		first.items.map((item) => [item.pairedItem, item.json.id, true]),
	);
	expect(rp.sim.account(KEY)?.credits).toBe(100_000 - 20 * 5);
});

test('off by default: a second run creates new generations', async () => {
	await rp.run(generateFromProducts, products(3));
	await rp.run(generateFromProducts, products(3));
	expect(rp.sim.count('POST', GENERATIONS)).toBe(2);
});

test('only new, failed or older-than-an-hour External IDs are created; the rest are reused', async () => {
	const [failed] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/f.jpg', externalId: 'sku-1' }], { renderMs: 0, outcome: 'failed' });
	rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/o.jpg', externalId: 'sku-2' }], { renderMs: 0, createdAt: Date.now() - 2 * 3600_000 });
	const [running] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg', externalId: 'sku-0' }]);
	const { items } = await rp.run(reusing, products(4));
	expect(items[0].json).toMatchObject({ id: running.id, reused: true, state: 'running' });
	expect(items.slice(1).map((item) => item.json.reused)).toEqual([undefined, undefined, undefined]);
	expect(items[1].json.id).not.toBe(failed.id);
	expect((rp.sim.matching('POST', GENERATIONS)[0].body as { generations: unknown[] }).generations).toHaveLength(3);
});

test.each(['newest-first', 'oldest-first'] as const)('10,000 older generations (list %s) cost a few list pages, not the history', async (order) => {
	rp.sim.listOrder = order;
	rp.sim.seed(KEY, products(10_000, 1000).map((p) => ({ imageUrl: p.image as string, externalId: p.sku as string })), {
		renderMs: 0,
		createdAt: Date.now() - 3 * 3600_000,
	});
	await rp.run(reusing, products(20));
	rp.sim.resetLog();
	const { items } = await rp.run(reusing, products(20));
	expect(items.every((item) => item.json.reused === true)).toBe(true);
	expect(rp.sim.count('POST', GENERATIONS)).toBe(0);
	expect(rp.sim.count('GET', GENERATIONS)).toBeLessThanOrEqual(3);
});

describe('"the last hour" is the server\'s, whatever n8n\'s clock says', () => {
	test('server clock 2 h ahead: a 90-minute-old generation (its video expired) is not reused', async () => {
		rp.sim.serverClockSkewMs = 2 * 3600_000;
		const [old] = rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/0.jpg', externalId: 'sku-0' }], {
			renderMs: 0,
			createdAt: rp.sim.clock.now() - 90 * 60_000,
		});
		const { items } = await rp.run(reusing, products(1));
		expect(items[0].json.reused).toBeUndefined();
		expect(items[0].json.id).not.toBe(old.id);
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	});

	test('server clock 2 h behind: a 10-minute-old generation is reused, not paid again', async () => {
		rp.sim.serverClockSkewMs = -2 * 3600_000;
		const [recent] = rp.sim.seed(KEY, [{ imageUrl: 'https://shop.example/img/0.jpg', externalId: 'sku-0' }], {
			renderMs: 0,
			createdAt: rp.sim.clock.now() - 10 * 60_000,
		});
		const { items } = await rp.run(reusing, products(1));
		expect(items[0].json).toMatchObject({ id: recent.id, reused: true });
		expect(rp.sim.count('POST', GENERATIONS)).toBe(0);
	});
});
