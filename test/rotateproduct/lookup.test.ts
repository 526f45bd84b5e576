/**
 * The node's walks over the generation list (helpers/lookup.ts on the shared
 * ListWalker). Looking ids up stops at the page that reaches below the lowest
 * wanted id: an id the list does not show (another account's, or deleted) must
 * not make it read the account's whole history. Reading the newest rows to
 * recover a lost POST's generations counts each row once, even when the list
 * moves under the walk and shows a row on two pages.
 */
import type { ListOrder } from '../simulators/rotateproduct/RotateProductSimulator';
import { generateFromProducts, GENERATIONS, KEY, OTHER_KEY, products, useRotateProduct } from './fixture';

const rp = useRotateProduct({ videoSizeBytes: 2_000 });
const zip = { resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}', archiveMode: 'single' };

test.each([
	['newest-first', 2],
	['oldest-first', 3],
] as Array<[ListOrder, number]>)(
	'list %s: an id the list does not show costs a few pages, not the 3,000-row history',
	async (order, maxPages) => {
		rp.sim.listOrder = order;
		const history = products(3000).map((p) => ({ imageUrl: p.image as string }));
		rp.sim.seed(KEY, history, { renderMs: 0, createdAt: Date.now() - 30 * 60_000 });
		const recent = rp.sim.seed(
			KEY,
			products(5, 5000).map((p) => ({ imageUrl: p.image as string })),
			{ renderMs: 0 },
		);
		const [foreign] = rp.sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/f.jpg' }], { renderMs: 0 });

		const { items, error } = await rp.run(zip, [...recent.map((g) => ({ id: g.id })), { id: foreign.id }]);

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ included: recent.map((g) => g.id), skippedNotFound: [foreign.id] });
		// 3,005 rows are 31 pages: reading on to the end for the foreign id would cost all of them.
		const pagesRead = rp.sim.count('GET', GENERATIONS);
		expect(pagesRead).toBeGreaterThan(0);
		expect(pagesRead).toBeLessThanOrEqual(maxPages);
	},
);

test('a POST answer lost while the list moves: each item is recovered with its own generation', async () => {
	// 150 items, two of them with the same External ID: item 10 on the newest rows' second page, item 50 at the foot of the first.
	const input = products(150).map((p, i) => (i === 10 || i === 50 ? { ...p, sku: 'dup' } : p));
	rp.sim.inject({ method: 'POST', path: GENERATIONS, fault: { kind: 'statusAfterProcessing', status: 502 } });
	let shifted = false;
	rp.sim.beforeListPage = (page) => {
		// Another workflow creates a generation just before page 2 is read: item 50's row moves to page 2 too.
		if (page !== 2 || shifted) return;
		shifted = true;
		rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/other.jpg', externalId: 'other' }]);
	};

	const { items, error } = await rp.run(generateFromProducts, input);

	expect(error).toBeUndefined();
	expect(shifted).toBe(true);
	expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	const created = rp.sim.generationsOf(KEY).filter((g) => g.externalId !== 'other');
	expect(items.map((item) => [item.pairedItem, item.json.id, item.json.recovered])).toEqual(
		created.map((g, index) => [{ item: index }, g.id, true]),
	);
});
