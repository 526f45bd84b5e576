/** Large id lists work at a bounded cost, or fail at once with a clear limit message. */
import { useColossyan } from '../colossyan/fixture';
import { KEY, useRotateProduct } from '../rotateproduct/fixture';

const HUGE = 150_000;

function unknownIds(count: number, from = 2_000_000): number[] {
	return Array.from({ length: count }, (_v, index) => from + index);
}

describe('RotateProduct Download Zip', () => {
	const rp = useRotateProduct();
	const zip = { resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.ids }}' };

	test('one archive, 150,000 ids (3 real, the rest unknown, some low): a zip of the 3 at a bounded cost', async () => {
		const real = rp.sim.seed(KEY, [1, 2, 3].map((n) => ({ imageUrl: `https://a.example/${n}.jpg`, externalId: `p${n}` })), { renderMs: 0 });
		const ids = [...real.map((g) => g.id), ...unknownIds(HUGE - 4), 1];
		const { items, error } = await rp.run({ ...zip, archiveMode: 'single' }, [{ ids: ids.join(',') }]);
		expect(error).toBeUndefined();
		expect(items[0].json.included).toEqual(real.map((g) => g.id));
		expect((items[0].json.skippedNotFound as number[]).length).toBe(HUGE - 3);
		// List pages and the 3 videos, never one request per unknown id.
		expect(rp.sim.requests.length).toBeLessThanOrEqual(10);
	});

	test('one archive, 10,000 unknown ids beside 1 real one, waiting for ready: a handful of requests', async () => {
		rp.sim.seed(KEY, Array.from({ length: 250 }, (_v, n) => ({ imageUrl: `https://a.example/${n}.jpg` })), { renderMs: 0 });
		const [real] = rp.sim.generationsOf(KEY);
		const ids = [real.id, ...unknownIds(10_000, 100_000)];
		const { items, error } = await rp.run({ ...zip, archiveMode: 'single', waitForReady: true, pollIntervalSeconds: 1 }, [{ ids }]);
		expect(error).toBeUndefined();
		expect(items[0].json.included).toEqual([real.id]);
		expect(rp.sim.requests.length).toBeLessThanOrEqual(20);
	});

	test('one archive per 100 ids, 150,000 ids: a clear limit message before any request', async () => {
		const { error } = await rp.run(zip, [{ ids: unknownIds(HUGE) }]);
		expect(error?.message).toBe('150,000 generation IDs in one execution is more than the 10,000 this operation takes');
		expect((error as { description?: string }).description).toMatch(/One Archive \(Assembled in n8n\)" takes any number/);
		expect(rp.sim.requests).toHaveLength(0);
	});
});

describe('Colossyan Download Zip', () => {
	const col = useColossyan();

	test('150,000 ids: a clear limit message before any request', async () => {
		const ids = Array.from({ length: HUGE }, (_v, index) => `job_${index}`);
		const { error } = await col.run({ resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.ids }}' }, [{ ids }]);
		expect(error?.message).toBe('150,000 job IDs in one execution is more than the 1,000 this operation takes');
		expect(col.sim.requests).toHaveLength(0);
	});
});

describe('RotateProduct Generate: a bulk answer that cannot be paired, 1,200 items', () => {
	const rp = useRotateProduct();

	test('no External IDs, failure ids as ordinals: every generation is output unpaired, messages stay short', async () => {
		rp.sim.failedIdReading = 'ordinal';
		rp.sim.rejectItem = (_input, index) => (index % 300 === 7 ? 'Image could not be downloaded' : undefined);
		const input = Array.from({ length: 1200 }, (_v, i) => ({ image: `https://shop.example/img/${i}.jpg` }));
		const started = Date.now();
		const { items, error } = await rp.run({ resource: 'generation', operation: 'generate', imageUrl: '={{ $json.image }}' }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(30_000);
		const created = rp.sim.generationsOf(KEY).map((g) => g.id);
		expect(created).toHaveLength(1196);
		expect(items.filter((item) => item.json.unpaired === true).map((item) => item.json.id)).toEqual(created);
		const errors = items.filter((item) => item.json.error !== undefined);
		expect(errors).toHaveLength(1200);
		for (const item of errors) expect(String(item.json.error).length).toBeLessThan(400);
	});
});
