/**
 * RotateProduct Generate: generations created before a later failure (status
 * reads, the wait's timeout, a download, a cancel) are never lost, with and
 * without Continue On Fail, and with n8n's error output.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

const rp = useRotateProduct();

const waiting = { ...generateFromProducts, waitForCompletion: true, pollIntervalSeconds: 1, waitTimeoutMinutes: 1 };
const STATUS_READS = /^\/api\/v1\/generations(\/\d+\/status)?$/;
const FIRST_VIDEO = `${GENERATIONS}/4980`;

function createdIds(): number[] {
	return rp.sim.generationsOf(KEY).map((g) => g.id);
}

/** The (item, id) pairs an error description names. */
function namedInDescription(error: unknown): Array<[number, number]> {
	const description = (error as { description?: string }).description ?? '';
	return [...description.matchAll(/item (\d+): generation (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/**
 * (item, id) of output items. On n8n 1.x's error output an item keeps only its
 * error message, so the id is read from the message there ("Generation 12 was created ...").
 */
function pairsOf(items: INodeExecutionData[]): Array<[number, number]> {
	return items.map((item) => {
		const fromMessage = /^Generation (\d+) was created/.exec(String(item.json.error ?? ''))?.[1];
		return [(item.pairedItem as { item: number }).item, (item.json.id as number | undefined) ?? Number(fromMessage)];
	});
}

function expectedPairs(): Array<[number, number]> {
	return createdIds().map((id, index) => [index, id]);
}

describe('status reads fail after the generations were created', () => {
	beforeEach(() => rp.sim.inject({ method: 'GET', path: STATUS_READS, times: 1000, fault: { kind: 'status', status: 503 } }));

	test('without Continue On Fail the error names every created id with its item', async () => {
		const { error, items } = await rp.run(waiting, products(5));
		expect(items).toHaveLength(0);
		expect(createdIds()).toHaveLength(5);
		expect(error?.message).toMatch(/^Waiting for the generations failed after 5 generations were created: /);
		expect(namedInDescription(error)).toEqual(expectedPairs());
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	});

	test('with Continue On Fail every created generation is output with its id, state and the error', async () => {
		const { error, items } = await rp.run(waiting, products(5), { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(pairsOf(items)).toEqual(expectedPairs());
		for (const item of items) {
			expect(item.json).toMatchObject({ state: 'running', externalId: expect.stringMatching(/^sku-\d$/) });
			expect(item.json.error).toMatch(/RotateProduct had a server error \(503\)/);
		}
	});

	test('with the error output every created generation arrives there, with its id', async () => {
		const { items, errorItems } = await rp.run(waiting, products(5), { onError: 'continueErrorOutput' });
		expect(items).toHaveLength(0);
		expect(pairsOf(errorItems)).toEqual(expectedPairs());
	});
});

test('on a wait timeout every created id is in the output (running, with a message), not an error', async () => {
	rp.sim.renderMs = 10 * 60_000;
	const { error, items } = await rp.run({ ...waiting, waitTimeoutMinutes: 0.02 }, products(5));
	expect(error).toBeUndefined();
	expect(pairsOf(items)).toEqual(expectedPairs());
	expect(items.every((item) => item.json.state === 'running' && typeof item.json.message === 'string')).toBe(true);
});

describe('a download fails after the wait', () => {
	const downloading = { ...waiting, downloadVideos: true };
	beforeEach(() => {
		rp.sim.renderMs = 500;
		// Every attempt of the first generation's video fails (the simulator's ids start at 4980).
		rp.sim.inject({ method: 'GET', path: FIRST_VIDEO, times: 10, fault: { kind: 'status', status: 500 } });
	});

	test('without Continue On Fail the error names every created id', async () => {
		const { error } = await rp.run(downloading, products(3));
		expect(error?.message).toMatch(/^Downloading the video of item 0 failed after 3 generations were created: /);
		expect(namedInDescription(error)).toEqual(expectedPairs());
	});

	test('with the error output the failed item goes there with its id; the others carry their videos', async () => {
		const { items, errorItems } = await rp.run(downloading, products(3), { onError: 'continueErrorOutput' });
		expect(pairsOf(errorItems)).toEqual([expectedPairs()[0]]);
		expect(pairsOf(items)).toEqual(expectedPairs().slice(1));
		expect(items.every((item) => item.binary?.data !== undefined)).toBe(true);
	});

	test('with Continue (regular output) the failed item stays on the output with its id and the error', async () => {
		const { items } = await rp.run(downloading, products(3), { continueOnFail: true });
		expect(pairsOf(items)).toEqual(expectedPairs());
		expect(items.map((item) => item.binary !== undefined)).toEqual([false, true, true]);
		expect(items[0].json.error).toEqual(expect.any(String));
		expect(items[0].binary).toBeUndefined();
	});
});

test('cancelling during the wait: the execution is cancelled and its error names every created id', async () => {
	rp.sim.renderMs = 10 * 60_000;
	const { run, error } = await rp.run(waiting, products(5), { cancelAfterMs: 1500 });
	expect(run.status).toBe('canceled');
	expect(createdIds()).toHaveLength(5);
	expect(namedInDescription(error)).toEqual(expectedPairs());
});
