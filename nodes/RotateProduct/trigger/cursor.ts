/**
 * What the trigger remembers between polls, in the workflow's static data
 * (saved with the workflow, so it survives restarts). Every time here is the
 * SERVER's clock (read off the rows), never n8n's: the two are not compared.
 * - `done`: ids whose events are all reported, grouped by the server minute of
 *   their time, so whole minutes can be forgotten once they are history;
 * - `pending`: ids seen running (id -> server time), whose end is still to come;
 * - `newestTs`: the newest timestamp the server has shown; `floorTs`: rows at or
 *   before it are history (they were there before the trigger started watching);
 * - `head`: a fingerprint of the list's newest page, so an idle poll is one read;
 * - `total`: the list's total when the last poll began (so rows that appeared since are noticed);
 * - `outbox`: events found but not reported yet (a backlog larger than a poll's downloads), in order;
 * - `commit`: how many polls saved this memory; a poll saves only over the one it read.
 * What is read is copied out of static data, and what is written is a fresh copy:
 * nothing a poll holds is shared with n8n's object, or with another poll.
 */
import type { IDataObject } from 'n8n-workflow';

import type { OwedEvent } from './outbox';

export interface TriggerCursor {
	version: 2;
	newestTs: number;
	floorTs: number;
	done: Record<string, number[]>;
	pending: Record<string, number>;
	head?: string;
	total?: number;
	outbox?: OwedEvent[];
	commit?: number;
	/** From a version-1 cursor: ids above it are new (read once, on the first poll after an upgrade). */
	legacyWatermarkId?: number;
}

const MINUTE = 60_000;
/** Rows more than this older than the newest row cannot be new: retention is 1 hour, plus a margin. */
export const HISTORY_HORIZON_MS = 2 * 60 * MINUTE;
/** How far behind the newest row a generation may still appear (late ids, created_at jitter). */
export const LATE_WINDOW_MS = 10 * MINUTE;
/** A generation shown running this long after newer rows (server time) is given up on, with a warning. */
export const MAX_PENDING_AGE_MS = 6 * 60 * MINUTE;
/** Upper bounds on what static data holds (about 6 bytes per done id, 25 per pending id). */
export const MAX_DONE_IDS = 20_000;
export const MAX_PENDING_IDS = 5_000;

export function readCursor(staticData: IDataObject): TriggerCursor | undefined {
	const raw = staticData.cursor as IDataObject | undefined;
	if (!raw || typeof raw !== 'object') return undefined;
	if (raw.version === 1 && typeof raw.watermarkId === 'number') return fromVersion1(raw);
	if (raw.version !== 2) return undefined;
	const pending: Record<string, number> = {};
	for (const [id, ts] of Object.entries((raw.pending as IDataObject) ?? {})) pending[id] = timeOrUnknown(ts);
	return {
		version: 2,
		newestTs: timeOrUnknown(raw.newestTs),
		floorTs: timeOrUnknown(raw.floorTs),
		done: JSON.parse(JSON.stringify(raw.done ?? {})) as Record<string, number[]>,
		pending,
		head: typeof raw.head === 'string' ? raw.head : undefined,
		total: typeof raw.total === 'number' ? raw.total : undefined,
		outbox: readOutbox(raw.outbox),
		commit: commitOf(staticData),
	};
}

/** The commit number of what static data holds now (0 before the first save). */
export function commitOf(staticData: IDataObject): number {
	const raw = staticData.cursor as IDataObject | undefined;
	return raw && typeof raw.commit === 'number' ? raw.commit : 0;
}

function readOutbox(raw: unknown): OwedEvent[] {
	if (!Array.isArray(raw)) return [];
	const events = raw.filter((entry): entry is OwedEvent => {
		const owed = entry as Partial<OwedEvent> | null;
		return !!owed && typeof owed.event === 'string' && typeof owed.generation?.id === 'number';
	});
	return JSON.parse(JSON.stringify(events)) as OwedEvent[];
}

/** A version-1 cursor: its pending ids are kept; the rest is rebuilt on the next poll. */
function fromVersion1(raw: IDataObject): TriggerCursor {
	const pending: Record<string, number> = {};
	for (const id of Object.keys((raw.pending as IDataObject) ?? {})) pending[id] = Number.NEGATIVE_INFINITY;
	return { version: 2, newestTs: Number.NEGATIVE_INFINITY, floorTs: Number.NEGATIVE_INFINITY, done: {}, pending, legacyWatermarkId: raw.watermarkId as number, commit: typeof raw.commit === 'number' ? raw.commit : 0 };
}

/** JSON has no -Infinity or NaN (they are saved as null): null reads back as "not known yet". */
function timeOrUnknown(value: unknown): number {
	return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
}

export function writeCursor(staticData: IDataObject, cursor: TriggerCursor): void {
	const kept: TriggerCursor = { ...cursor };
	delete kept.legacyWatermarkId; // read once, on the poll after an upgrade
	staticData.cursor = JSON.parse(JSON.stringify(kept)) as IDataObject;
}

export function minuteOf(ts: number): number {
	return Math.floor(ts / MINUTE);
}

export function endOfMinute(minute: number): number {
	return (minute + 1) * MINUTE - 1;
}
