/**
 * Looking ids up in the generation list (helpers/lookup.ts scanList) stops at the
 * page that reaches below the lowest wanted id: an id the list does not show (another
 * account's, or deleted) must not make it read the account's whole history.
 */
import type { ListOrder } from '../simulators/rotateproduct/RotateProductSimulator';
import { GENERATIONS, KEY, OTHER_KEY, products, useRotateProduct } from './fixture';

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
