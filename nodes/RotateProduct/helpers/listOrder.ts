/**
 * Which end of the generation list is the new one. The sort order is not
 * published and may be by id, by created_at or by updated_at, newest or oldest
 * first, and may change between polls; so it is read off each walk's first page:
 * for each of the three keys, how many neighbouring rows step down versus up.
 * The key that is most consistently sorted gives the direction (jittered
 * timestamps or a late id only weaken one key's vote).
 */
import { serverTime } from '../../shared/time';
import type { GenerationSummary } from './types';

export type NewEnd = 'first-page' | 'last-page' | 'unknown';

type Key = (row: GenerationSummary) => number | undefined;

const KEYS: Key[] = [(row) => row.id, (row) => timeOf(row.created_at), (row) => timeOf(row.updated_at)];

/** Below this agreement no direction is trusted, and the caller reads the whole list. */
const MIN_AGREEMENT = 0.5;

export function newEndOf(rows: GenerationSummary[]): NewEnd {
	let best = 0;
	for (const key of KEYS) {
		const score = directionScore(rows, key);
		if (Math.abs(score) > Math.abs(best)) best = score;
	}
	if (Math.abs(best) < MIN_AGREEMENT) return 'unknown';
	return best > 0 ? 'first-page' : 'last-page';
}

/** +1: every step goes down (newest first), -1: every step goes up, 0: no information. */
function directionScore(rows: GenerationSummary[], key: Key): number {
	let down = 0;
	let up = 0;
	for (let i = 1; i < rows.length; i++) {
		const before = key(rows[i - 1]);
		const after = key(rows[i]);
		if (before === undefined || after === undefined || before === after) continue;
		if (before > after) down++;
		else up++;
	}
	return down + up === 0 ? 0 : (down - up) / (down + up);
}

/** A server timestamp in ms, or undefined when missing or unreadable (offset-less times are UTC). */
export function timeOf(value: unknown): number | undefined {
	return serverTime(value);
}

/** The time a row is aged by: its creation, else its last update (both server time). */
export function rowTime(row: GenerationSummary): number | undefined {
	return timeOf(row.created_at) ?? timeOf(row.updated_at);
}

/** The newest timestamp a row carries. */
export function newestTimeOf(row: GenerationSummary): number | undefined {
	const created = timeOf(row.created_at);
	const updated = timeOf(row.updated_at);
	if (created === undefined) return updated;
	return updated === undefined ? created : Math.max(created, updated);
}
