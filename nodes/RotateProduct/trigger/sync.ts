/**
 * One poll's reading of the list (README "How it works"): from the new end,
 * page by page, until a page holds only generations already known and older
 * (server time) than the newest row minus the late window. Every row read is
 * then sorted into reported / running / history / new. Running generations
 * the walk did not reach are followed further down the list, or asked for one
 * by one when few are left. A walk the list kept moving under is not trusted
 * for the idle shortcut: the next poll walks again.
 */
import type { IPollFunctions } from 'n8n-workflow';

import { asNodeError, httpStatusOf } from '../../shared/http';
import { getGeneration } from '../helpers/lookup';
import { generationState } from '../helpers/status';
import type { GenerationSummary } from '../helpers/types';
import type { TriggerCursor } from './cursor';
import { LATE_WINDOW_MS } from './cursor';
import type { TriggerEvent, TriggerFilter } from './filter';
import { TriggerMemory } from './memory';
import { rowTime, timeOf } from '../helpers/listOrder';
import { ListWalker } from '../helpers/listWalker';

export interface Emission {
	event: TriggerEvent;
	generation: GenerationSummary;
}

/** Up to this many running generations the walk did not reach are asked for directly. */
const DIRECT_LOOKUP_LIMIT = 5;

export async function syncWithList(
	context: IPollFunctions,
	cursor: TriggerCursor | undefined,
	filter: TriggerFilter,
	recentMs: number,
): Promise<{ next: TriggerCursor; emissions: Emission[] }> {
	const memory = new TriggerMemory(cursor);
	const walker = await ListWalker.open(context);
	const pendingAtNewEnd = [...memory.pending.keys()].every((id) => walker.newEndRows.some((row) => row.id === id));
	if (cursor?.head !== undefined && cursor.head === walker.fingerprint() && pendingAtNewEnd) {
		return { next: cursor, emissions: [] }; // idle: the new end is exactly as the last poll left it
	}
	const seen = new Map<number, GenerationSummary>();
	const quietPageFound = await walkWindow(walker, memory, seen);
	if (memory.baseline && quietPageFound) memory.floorTs = Math.max(memory.floorTs, memory.newestTs - LATE_WINDOW_MS);
	if (cursor?.total !== undefined && unseenRowsAppeared(cursor.total, walker, memory, seen)) await readOn(walker, memory, seen);
	await followPending(context, walker, memory, seen);
	const emissions = classify(memory, seen, filter, recentMs);
	memory.prune(context.logger);
	return { next: memory.toCursor(walker.consistent ? walker.fingerprint() : undefined, walker.firstTotal), emissions };
}

/**
 * Rows vanish (retention) but never appear except as new generations; so when the
 * total grew by more than the new generations the walk found, some appeared where
 * it did not look (an id visible very late). Deletions can hide this, never fake it.
 */
function unseenRowsAppeared(previousTotal: number, walker: ListWalker, memory: TriggerMemory, seen: Map<number, GenerationSummary>): boolean {
	if (memory.baseline || walker.exhausted || !walker.totalsReliable) return false;
	let found = 0;
	for (const row of seen.values()) if (!memory.done.has(row.id) && !memory.pending.has(row.id) && !memory.isHistory(row)) found++;
	return walker.lastTotal - previousTotal > found;
}
// (The total saved for the next poll is the one read before this walk: a row that appears during the
// walk, on a page already read, then still counts as appeared next time.)

/** Reads on towards the old end until a page holds only history, or the list ends. */
async function readOn(walker: ListWalker, memory: TriggerMemory, seen: Map<number, GenerationSummary>): Promise<void> {
	for (let page = await walker.next(); page; page = await walker.next()) {
		memory.observe(page);
		for (const row of page) seen.set(row.id, row);
		if (page.length > 0 && page.every((row) => memory.isHistory(row))) return;
	}
}

/**
 * Reads from the new end to the first quiet page; returns whether one was found (else the list ended).
 * The first activation reads the whole list when rows lack created_at: their updated_at moves when
 * they end, so nothing would tell an unread old row from a new one later.
 */
async function walkWindow(walker: ListWalker, memory: TriggerMemory, seen: Map<number, GenerationSummary>): Promise<boolean> {
	let page: GenerationSummary[] | undefined = walker.newEndRows;
	let undated = false;
	while (page) {
		memory.observe(page);
		for (const row of page) seen.set(row.id, row);
		undated ||= memory.baseline && page.some((row) => timeOf(row.created_at) === undefined);
		if (walker.newEnd !== 'unknown' && !undated && isQuiet(page, memory)) return true;
		page = await walker.next();
	}
	return false;
}

/**
 * Nothing new can hide behind a page whose rows are all known (or the first
 * activation's starting point) and all older than the newest row minus the late
 * window: that window is how far behind the newest row a generation may appear.
 */
function isQuiet(page: GenerationSummary[], memory: TriggerMemory): boolean {
	const quietBefore = memory.newestTs - LATE_WINDOW_MS;
	return (
		page.length > 0 &&
		page.every((row) => {
			if (memory.baseline && isLegacyNew(row, memory)) return false;
			const at = memory.baseline ? rowTime(row) : memory.knownTime(row);
			return at !== undefined && at < quietBefore;
		})
	);
}

/** Running generations the walk did not reach: further down the list, or one by one when few are left. */
async function followPending(
	context: IPollFunctions,
	walker: ListWalker,
	memory: TriggerMemory,
	seen: Map<number, GenerationSummary>,
): Promise<void> {
	const missing = () => [...memory.pending.keys()].filter((id) => !seen.has(id));
	while (missing().length > DIRECT_LOOKUP_LIMIT) {
		const page = await walker.next();
		if (!page) break;
		memory.observe(page);
		for (const row of page) seen.set(row.id, row);
	}
	// A walk stopped by its request cap has not shown the rest of the list: those stay pending, for the next poll.
	if (walker.truncated && missing().length > DIRECT_LOOKUP_LIMIT) return;
	const gone: number[] = [];
	for (const id of missing()) {
		try {
			seen.set(id, await getGeneration(context, id));
		} catch (error) {
			const status = httpStatusOf(error);
			if (status !== 404 && status !== 410) throw asNodeError(context, error);
			gone.push(id);
		}
	}
	memory.dropPending(gone, context.logger, 'they were deleted before they ended (the API no longer knows them)');
}

/** Sorts every row read into the events it gives, and updates the memory. */
function classify(memory: TriggerMemory, seen: Map<number, GenerationSummary>, filter: TriggerFilter, recentMs: number): Emission[] {
	const emissions: Emission[] = [];
	const wantsEnds = filter.events.has('completed') || filter.events.has('failed');
	for (const row of [...seen.values()].sort((a, b) => a.id - b.id)) {
		if (memory.done.has(row.id)) continue;
		const running = generationState(row.status) === 'running';
		if (memory.pending.has(row.id)) {
			if (running) {
				memory.markPending(row);
				continue;
			}
			memory.markDone(row);
			emissions.push(...endEvents(row, filter));
			continue;
		}
		// At the start, generations already running are followed however old they are.
		if (memory.isHistory(row) && !(memory.baseline && running)) continue;
		if (!filter.matches(row)) {
			memory.markDone(row);
			continue;
		}
		const isNew = !memory.baseline || isLegacyNew(row, memory);
		const isRecent = memory.baseline && recentMs > 0 && memory.timeFor(row) >= memory.newestTs - recentMs;
		if (isNew && filter.events.has('created')) emissions.push({ event: 'created', generation: row });
		if (running && wantsEnds) memory.markPending(row);
		else memory.markDone(row);
		if (!running && (isNew || isRecent)) emissions.push(...endEvents(row, filter));
	}
	return emissions;
}

function isLegacyNew(row: GenerationSummary, memory: TriggerMemory): boolean {
	return memory.legacyWatermarkId !== undefined && row.id > memory.legacyWatermarkId;
}

export function endEvents(row: GenerationSummary, filter: TriggerFilter): Emission[] {
	const state = generationState(row.status);
	if (state === 'running') return [];
	const event: TriggerEvent = state === 'done' ? 'completed' : 'failed';
	return filter.events.has(event) ? [{ event, generation: row }] : [];
}
