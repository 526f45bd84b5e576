/**
 * Reading the status of many generations at a bounded cost. One status call per
 * id would cost 1,200 requests a round for 1,200 generations; the list endpoint
 * returns 100 a page, so the ids are looked up there instead. The list's sort
 * order is not published, so it is read off the first page, and only the pages
 * that can hold the ids are fetched. A handful of ids are asked for directly.
 */
import type { ApiContext } from '../../shared/context';
import { asNodeError, expectJsonObject, httpStatusOf } from '../../shared/http';
import { httpDate, serverTime } from '../../shared/time';
import { ROTATE_PRODUCT, rotateProductJson, rotateProductRequest } from '../transport';
import { ListWalker } from './listWalker';
import type { GenerationSummary } from './types';

/** Below this many ids, one status call each is cheaper than reading list pages. */
const DIRECT_LOOKUP_LIMIT = 3;
/** Ids the list did not show that are still asked for one by one (beyond this, the list is read once more instead). */
const UNKNOWN_DIRECT_LIMIT = 20;

export async function getGeneration(context: ApiContext, id: number, itemIndex?: number): Promise<GenerationSummary> {
	return await rotateProductJson<GenerationSummary>(context, {
		method: 'GET',
		path: `/generations/${id}/status`,
		itemIndex,
		notFound: `no generation ${id} in this account`,
	});
}

/** A generation's status with the server's time of the answer (its Date header), when sent. */
export async function getGenerationAt(
	context: ApiContext,
	id: number,
	itemIndex?: number,
): Promise<{ generation: GenerationSummary; serverNow: number | undefined }> {
	const request = { method: 'GET' as const, path: `/generations/${id}/status`, itemIndex, notFound: `no generation ${id} in this account` };
	const response = await rotateProductRequest<unknown>(context, request);
	const generation = expectJsonObject<GenerationSummary>(context, ROTATE_PRODUCT, request, response.body);
	return { generation, serverNow: httpDate(response.headers.date) };
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

/**
 * Finds the wanted ids in the list, walking from the new end and stopping early
 * once a page reaches below the lowest wanted id (ids grow with time, so the
 * older pages cannot hold a wanted one). With the order unknown it reads on.
 */
async function scanList(context: ApiContext, wanted: Set<number>, found: Map<number, GenerationSummary>): Promise<void> {
	const walker = await ListWalker.start(context);
	// Oldest first, page 1 holds the oldest rows (read to learn the order): they count, but do not stop the walk.
	collect(walker.firstPage, wanted, found);
	const passedWanted = belowWanted(walker, lowestId(wanted));
	if (found.size >= wanted.size) return;
	for await (const rows of walker.pages()) {
		collect(rows, wanted, found);
		if (found.size >= wanted.size || passedWanted(rows)) return;
	}
}

/** Whether a page reaches below the lowest wanted id (never, with the order unknown). */
function belowWanted(walker: ListWalker, lowestWanted: number): (rows: GenerationSummary[]) => boolean {
	if (walker.newEnd === 'unknown') return () => false;
	// As before the walker was shared: oldest first the walk ends at the page holding the lowest
	// wanted id; newest first it ends at the first page reaching below it.
	const inclusive = walker.newEnd === 'last-page';
	return (rows) => {
		if (rows.length === 0) return false;
		const lowest = lowestId(rows.map((row) => row.id));
		return inclusive ? lowest <= lowestWanted : lowest < lowestWanted;
	};
}

/** The lowest id, without spreading (a spread of 150,000 ids overflows the call stack). */
export function lowestId(ids: Iterable<number>): number {
	let lowest = Infinity;
	for (const id of ids) if (id < lowest) lowest = id;
	return lowest;
}

/**
 * At least `count` of the newest rows of the account (fewer if it has fewer),
 * newest pages only, each row once (a list that moved can show a row on two pages).
 */
export async function newestRows(context: ApiContext, count: number): Promise<GenerationSummary[]> {
	const walker = await ListWalker.start(context);
	const newest = new Map<number, GenerationSummary>();
	for await (const rows of walker.pages()) {
		for (const row of rows) newest.set(row.id, row);
		if (newest.size >= count) break;
	}
	// Page 1 is read either way (oldest first it holds the oldest rows); its rows are returned too.
	for (const row of walker.firstPage) if (!newest.has(row.id)) newest.set(row.id, row);
	return [...newest.values()];
}

function collect(rows: GenerationSummary[], wanted: Set<number>, found: Map<number, GenerationSummary>): void {
	for (const row of rows) if (wanted.has(row.id)) found.set(row.id, row);
}

/**
 * The server's clock, read from the `Date` header of a cheap call (the credits):
 * server facts (a generation's age, "created after this request") are judged by
 * the server's time, never by n8n's, which may be hours off. n8n's clock only
 * measures how long ago the header was read. `Date` has whole seconds, so the
 * reading is a range: `earliest` ≤ the server's time now ≤ `latest`.
 */
export interface ServerClock {
	earliest(): number;
	latest(): number;
}

export async function readServerClock(context: ApiContext): Promise<ServerClock | undefined> {
	const sentAt = Date.now();
	const response = await rotateProductRequest<unknown>(context, { method: 'GET', path: '/credits' });
	const receivedAt = Date.now();
	const header = httpDate(response.headers.date);
	if (header === undefined) return undefined;
	// The header was stamped between sending and receiving, and rounded down to the second.
	return {
		earliest: () => header + (Date.now() - receivedAt),
		latest: () => header + 1000 + (Date.now() - sentAt),
	};
}

/** The newest rows an account shows at one moment: later rows have a higher id and a later creation. */
export interface AccountMark {
	highestId: number;
	/** The latest creation time among them (server time), when readable. */
	latestCreated: number | undefined;
}

/** Reads the new end of the list (one request, two when it is oldest first) to mark what exists now. */
export async function markAccount(context: ApiContext): Promise<AccountMark> {
	const walker = await ListWalker.open(context);
	let highestId = 0;
	let latestCreated: number | undefined;
	for (const row of [...walker.newEndRows, ...walker.firstPage]) {
		if (row.id > highestId) highestId = row.id;
		const created = serverTime(row.created_at);
		if (created !== undefined && (latestCreated === undefined || created > latestCreated)) latestCreated = created;
	}
	return { highestId, latestCreated };
}
