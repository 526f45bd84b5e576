/**
 * Attacks that FAIL today: each documents a hole in a promise of issues #24/#29.
 * Every test asserts the promise as stated; it goes green once the hole is fixed.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { generateFromProducts, KEY, useRotateProduct } from '../rotateproduct/fixture';

const rp = useRotateProduct();

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
}


/** A server that stores/echoes `external_id` differently: null (not echoed) or as a number ("1" → 1). */
function serverEchoesExternalIdsAs(echo: 'null' | 'number'): void {
	const sim = rp.sim as unknown as { create: (...args: unknown[]) => { externalId: unknown } };
	const create = sim.create.bind(rp.sim);
	sim.create = (...args: unknown[]) => {
		const generation = create(...args);
		generation.externalId = echo === 'null' ? null : Number(generation.externalId);
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
	const rp = useRotateProduct();
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
