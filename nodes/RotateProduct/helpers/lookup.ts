/**
 * Reading the status of many generations at a bounded cost. One status call per
 * id would cost 1,200 requests a round for 1,200 generations; the list endpoint
 * returns 100 a page, so the ids are looked up there instead. The list's sort
 * order is not published, so it is read off the first page, and only the pages
 * that can hold the ids are fetched. A handful of ids are asked for directly.
 */
import type { ApiContext } from '../../shared/context';
import { asNodeError, httpStatusOf } from '../../shared/http';
import { rotateProductJson } from '../transport';
import type { GenerationList, GenerationSummary } from './types';
import { MAX_PAGE_SIZE } from './types';

/** Below this many ids, one status call each is cheaper than reading list pages. */
const DIRECT_LOOKUP_LIMIT = 3;
/** Ids the list did not show that are still asked for one by one (beyond this, the list is read once more instead). */
const UNKNOWN_DIRECT_LIMIT = 20;

export type ListOrder = 'newest-first' | 'oldest-first' | 'unknown';

export async function getGeneration(
	context: ApiContext,
	id: number,
	itemIndex?: number,
): Promise<GenerationSummary> {
	return await rotateProductJson<GenerationSummary>(context, {
		method: 'GET',
		path: `/generations/${id}/status`,
		itemIndex,
		notFound: `no generation ${id} in this account`,
	});
}

export async function listPage(context: ApiContext, page: number, pageSize = MAX_PAGE_SIZE): Promise<GenerationList> {
	const list = await rotateProductJson<GenerationList>(context, {
		method: 'GET',
		path: '/generations',
		qs: { page, pageSize },
	});
	return { ...list, generations: Array.isArray(list.generations) ? list.generations : [] };
}

/** Sort order read off a page: by creation time, then by id. */
export function orderOf(rows: GenerationSummary[]): ListOrder {
	if (rows.length < 2) return 'unknown';
	const first = rows[0];
	const last = rows[rows.length - 1];
	const a = Date.parse(first.created_at ?? '');
	const b = Date.parse(last.created_at ?? '');
	if (!Number.isNaN(a) && !Number.isNaN(b) && a !== b) return a > b ? 'newest-first' : 'oldest-first';
	if (first.id !== last.id) return first.id > last.id ? 'newest-first' : 'oldest-first';
	return 'unknown';
}

/**
 * The current state of each id. Ids the list does not show (another account's,
 * or a list that moved under us) are asked for one by one, so none is dropped.
 */
export async function lookupGenerations(
	context: ApiContext,
	ids: number[],
	options: { skipUnknown?: boolean } = {},
): Promise<Map<number, GenerationSummary>> {
	const wanted = new Set(ids);
	const found = new Map<number, GenerationSummary>();
	if (wanted.size > DIRECT_LOOKUP_LIMIT) await scanList(context, wanted, found);
	if (options.skipUnknown && wanted.size - found.size > UNKNOWN_DIRECT_LIMIT) {
		// Many ids the list did not show: one more pass catches rows that moved
		// between two page reads; the rest are not in this account. One request
		// per unknown id would cost 10,001 requests for 10,000 unknown ids.
		const missing = new Set([...wanted].filter((id) => !found.has(id)));
		const late = new Map<number, GenerationSummary>();
		await scanList(context, missing, late);
		for (const [id, generation] of late) found.set(id, generation);
		return found;
	}
	for (const id of wanted) {
		if (found.has(id)) continue;
		try {
			found.set(id, await getGeneration(context, id));
		} catch (error) {
			// With skipUnknown, an id this account does not have is left out of the map.
			if (options.skipUnknown && httpStatusOf(error) === 404) continue;
			throw asNodeError(context, error);
		}
	}
	return found;
}

async function scanList(
	context: ApiContext,
	wanted: Set<number>,
	found: Map<number, GenerationSummary>,
): Promise<void> {
	const lowestWanted = lowestId(wanted);
	const first = await listPage(context, 1);
	collect(first.generations, wanted, found);
	const pages = Math.max(1, Math.ceil(first.total / MAX_PAGE_SIZE));
	const order = orderOf(first.generations);
	if (order === 'oldest-first') {
		// Newest rows are at the end: read backwards until the oldest wanted id is passed.
		for (let page = pages; page > 1 && found.size < wanted.size; page--) {
			const rows = (await listPage(context, page)).generations;
			collect(rows, wanted, found);
			if (rows.length > 0 && lowestId(rows.map((row) => row.id)) <= lowestWanted) break;
		}
		return;
	}
	// Newest first (or unknown): read on while the pages still reach back to the wanted ids.
	let rows = first.generations;
	for (let page = 2; page <= pages && found.size < wanted.size; page++) {
		if (rows.length > 0 && lowestId(rows.map((row) => row.id)) < lowestWanted && order !== 'unknown') break;
		rows = (await listPage(context, page)).generations;
		collect(rows, wanted, found);
	}
}

/** The lowest id, without spreading (a spread of 150,000 ids overflows the call stack). */
export function lowestId(ids: Iterable<number>): number {
	let lowest = Infinity;
	for (const id of ids) if (id < lowest) lowest = id;
	return lowest;
}

/** At least `count` of the newest rows of the account (fewer if it has fewer), newest pages only. */
export async function newestRows(context: ApiContext, count: number): Promise<GenerationSummary[]> {
	const first = await listPage(context, 1);
	const rows = [...first.generations];
	const pages = Math.max(1, Math.ceil(first.total / MAX_PAGE_SIZE));
	const pagesNeeded = Math.ceil(count / MAX_PAGE_SIZE);
	if (orderOf(first.generations) === 'oldest-first') {
		for (let page = pages; page > 1 && page > pages - pagesNeeded - 1; page--) {
			rows.push(...(await listPage(context, page)).generations);
		}
		return rows;
	}
	for (let page = 2; page <= Math.min(pages, pagesNeeded); page++) rows.push(...(await listPage(context, page)).generations);
	return rows;
}

function collect(rows: GenerationSummary[], wanted: Set<number>, found: Map<number, GenerationSummary>): void {
	for (const row of rows) if (wanted.has(row.id)) found.set(row.id, row);
}
