/** Generate through n8n's engine: batching, pairing, partial failures, bad input, waiting. */
import type { Vocabulary } from '../simulators/rotateproduct/RotateProductSimulator';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from './fixture';

const rp = useRotateProduct();

test('1,200 items cost exactly 2 POSTs and every output is paired with its input', async () => {
	const { items, error } = await rp.run(generateFromProducts, products(1200));
	expect(error).toBeUndefined();
	expect(rp.sim.count('POST', GENERATIONS)).toBe(2);
	const bodies = rp.sim.matching('POST', GENERATIONS).map((r) => (r.body as { generations: unknown[] }).generations.length);
	expect(bodies).toEqual([600, 600]);
	expect(items).toHaveLength(1200);
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json).toMatchObject({ externalId: `sku-${index}`, state: 'running', status: 'rotating', id: expect.any(Number) });
		expect(rp.sim.generation(item.json.id as number)?.input.imageUrl).toBe(`https://shop.example/img/${index}.jpg`);
	});
});

test('batch size is an option', async () => {
	await rp.run({ ...generateFromProducts, options: { batchSize: 250 } }, products(600));
	expect(rp.sim.count('POST', GENERATIONS)).toBe(3);
});

test('rejected items 3 and 7 error on their own items with Continue On Fail; the rest carry ids', async () => {
	rp.sim.rejectItem = (_input, index) => (index === 3 || index === 7 ? 'Image could not be downloaded' : undefined);
	const { items, error } = await rp.run(generateFromProducts, products(10), { continueOnFail: true });
	expect(error).toBeUndefined();
	expect(items).toHaveLength(10);
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		if (index === 3 || index === 7) {
			expect(item.json.error).toBe(`RotateProduct rejected item ${index}: Image could not be downloaded`);
		} else {
			expect(item.json).toMatchObject({ externalId: `sku-${index}`, id: expect.any(Number) });
		}
	});
});

test('without Continue On Fail the error names the rejected items and the created ids', async () => {
	rp.sim.rejectItem = (_input, index) => (index === 3 || index === 7 ? 'Image could not be downloaded' : undefined);
	const { error } = await rp.run(generateFromProducts, products(10));
	expect(error?.message).toBe('RotateProduct rejected items 3, 7');
	const description = (error as { description?: string }).description ?? '';
	const created = [...rp.sim.matching('POST', GENERATIONS)].length;
	expect(created).toBe(1);
	const createdIds = [...description.matchAll(/item (\d+): generation (\d+)/g)].map((m) => Number(m[2]));
	expect([...description.matchAll(/item (\d+): generation/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 4, 5, 6, 8, 9]);
	expect(createdIds).toHaveLength(8);
	for (const id of createdIds ?? []) expect(rp.sim.generation(id)?.accountKey).toBe(KEY);
});

test('bad image URLs are item errors before any paid call', async () => {
	const input = [{ image: '' }, { image: 'ftp://x.example/a.jpg' }, { image: 'not a url' }];
	const stopped = await rp.run(generateFromProducts, input);
	expect(stopped.error?.message).toBe('Image URL is empty in item 0');
	expect(rp.sim.count('POST', GENERATIONS)).toBe(0);

	const continued = await rp.run(generateFromProducts, [...input, { image: 'https://ok.example/a.jpg', sku: 'ok' }], { continueOnFail: true });
	expect(continued.items.map((item) => item.json.error ?? item.json.externalId)).toEqual([
		'Image URL is empty in item 0',
		'Image URL in item 1 is not an http(s) or data URL: "ftp://x.example/a.jpg"',
		'Image URL in item 2 is not an http(s) or data URL: "not a url"',
		'ok',
	]);
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	expect((rp.sim.matching('POST', GENERATIONS)[0].body as { generations: unknown[] }).generations).toHaveLength(1);
});

test('a failed batch does not lose the generations of earlier batches', async () => {
	rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'status', status: 400, body: { success: false, error: { code: 4001, message: 'Validation failed', meta: { friendlyMessage: 'Bad batch' } } } } });
	// The first POST (batch 1) fails; with Continue On Fail, batch 2 goes on.
	const { items } = await rp.run({ ...generateFromProducts, options: { batchSize: 2 } }, products(4), { continueOnFail: true });
	expect(items.map((item) => item.json.error ?? item.json.externalId)).toEqual([
		'RotateProduct refused the request: Bad batch',
		'RotateProduct refused the request: Bad batch',
		'sku-2',
		'sku-3',
	]);
});

describe('wait for completion', () => {
	const waiting = { ...generateFromProducts, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 };

	test.each(['polling', 'status', 'lifecycle'] as Vocabulary[])('ends done or failed with the %s vocabulary', async (vocabulary) => {
		rp.sim.vocabulary = vocabulary;
		rp.sim.renderMs = 1500;
		rp.sim.outcomeOf = (_input, index) => (index === 1 ? 'failed' : 'success');
		const { items, error } = await rp.run(waiting, products(3));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.state)).toEqual(['done', 'failed', 'done']);
		const done = { polling: 'completed', status: 'succeeded', lifecycle: 'successful' }[vocabulary];
		expect(items[0].json.status).toBe(done);
	});

	test('1,200 pending generations cost a bounded number of requests a round, never one per id', async () => {
		rp.sim.renderMs = 2500;
		const { items, error } = await rp.run(waiting, products(1200));
		expect(error).toBeUndefined();
		expect(items.every((item) => item.json.state === 'done')).toBe(true);
		const listCalls = rp.sim.count('GET', GENERATIONS);
		const statusCalls = rp.sim.count('GET', /\/status$/);
		expect(statusCalls).toBe(0);
		// At most 13 list pages a round (12 pages of 100 + the first), and a handful of rounds.
		expect(listCalls).toBeGreaterThan(0);
		expect(listCalls).toBeLessThanOrEqual(13 * 5);
	});

	test('with the list oldest-first the newest pages are read, not the whole history', async () => {
		rp.sim.listOrder = 'oldest-first';
		rp.sim.seed(KEY, products(3000).map((p) => ({ imageUrl: p.image as string })), { renderMs: 0, createdAt: Date.now() - 10 * 60_000 });
		rp.sim.renderMs = 1500;
		const { items } = await rp.run(waiting, products(150));
		expect(items.every((item) => item.json.state === 'done')).toBe(true);
		const pagesRead = rp.sim.matching('GET', GENERATIONS).map((r) => Number(r.query.get('page')));
		// 3,150 rows = 32 pages; a round reads page 1 and the last two or three pages only.
		expect(Math.min(...pagesRead.filter((p) => p > 1))).toBeGreaterThanOrEqual(30);
	});

	test('Download Videos attaches each finished video in the same step', async () => {
		rp.sim.renderMs = 1000;
		rp.sim.outcomeOf = (_input, index) => (index === 1 ? 'failed' : 'success');
		const { items, error } = await rp.run({ ...waiting, downloadVideos: true, binaryPropertyName: 'video' }, products(2));
		expect(error).toBeUndefined();
		expect(items[0].binary?.video).toMatchObject({ fileName: 'sku-0.mp4', mimeType: 'video/mp4' });
		expect(items[1].json.state).toBe('failed');
		expect(items[1].binary).toBeUndefined();
	});

	test('Put Output File in Field is read per item: an expression names each item\'s own field', async () => {
		rp.sim.renderMs = 1000;
		const { items, error } = await rp.run({ ...waiting, downloadVideos: true, binaryPropertyName: '={{ $json.sku }}' }, products(2));
		expect(error).toBeUndefined();
		expect(items.map((item) => Object.keys(item.binary ?? {}))).toEqual([['sku-0'], ['sku-1']]);
	});

	test('on timeout the running generations are output with their status and a message', async () => {
		rp.sim.renderMs = 10 * 60_000;
		const started = Date.now();
		const { items, error } = await rp.run({ ...waiting, waitTimeoutMinutes: 0.03 }, products(2));
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(6000);
		expect(items.map((item) => [item.json.state, item.json.message])).toEqual([
			['running', 'Still running when the wait timed out; check it later with Get Status'],
			['running', 'Still running when the wait timed out; check it later with Get Status'],
		]);
	});

	test('cancelling the execution stops the wait promptly', async () => {
		rp.sim.renderMs = 10 * 60_000;
		const started = Date.now();
		const { run } = await rp.run(waiting, products(2), { cancelAfterMs: 1500 });
		expect(Date.now() - started).toBeLessThan(4000);
		expect(run.status).toBe('canceled');
		const checks = rp.sim.count('GET', /\/status$/);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(rp.sim.count('GET', /\/status$/)).toBe(checks);
	});
});

test('an External ID that is an object or a list is an item error before any paid call; a number is sent as text', async () => {
	const parameters = { ...generateFromProducts, externalId: '={{ $json.sku }}' };
	const input = [
		{ image: 'https://shop.example/img/0.jpg', sku: { code: 'A1' } },
		{ image: 'https://shop.example/img/1.jpg', sku: ['A1'] },
		{ image: 'https://shop.example/img/2.jpg', sku: 1234 },
	];
	const stopped = await rp.run(parameters, input);
	expect(stopped.error?.message).toBe('External ID in item 0 is an object, not text');
	expect(rp.sim.count('POST', GENERATIONS)).toBe(0);

	const { items } = await rp.run(parameters, input, { continueOnFail: true });
	expect(items[0].json.error).toBe('External ID in item 0 is an object, not text');
	expect(items[1].json.error).toBe('External ID in item 1 is a list, not text');
	expect(items[2].json).toMatchObject({ externalId: '1234', id: expect.any(Number) });
	const sent = rp.sim.matching('POST', GENERATIONS).map((r) => (r.body as { generations: Array<{ externalId?: unknown }> }).generations);
	expect(sent).toEqual([[{ imageUrl: 'https://shop.example/img/2.jpg', externalId: '1234' }]]);
});

test('createdAt and updatedAt are ISO times in UTC whatever the server shows (offset-less status times are UTC)', async () => {
	rp.sim.clock.freeze();
	const created = await rp.run(generateFromProducts, products(1));
	const id = created.items[0].json.id as number;
	for (const withZ of [false, true]) {
		rp.sim.statusTimesWithZ = withZ;
		const { items } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: id }, [{}]);
		expect(items[0].json.createdAt).toBe(new Date(rp.sim.clock.now()).toISOString());
	}
	expect(created.items[0].json.createdAt).toBe(new Date(rp.sim.clock.now()).toISOString());
});
