/**
 * The trigger's memory during one poll: which ids are reported, which are
 * still running, and what counts as history. Everything is pruned on the
 * server's own evidence (its timestamps), and whatever a size limit forces out
 * is logged through n8n's logger, never dropped quietly.
 */
import type { Logger } from 'n8n-workflow';

import type { GenerationSummary } from '../helpers/types';
import type { TriggerCursor } from './cursor';
import {
	endOfMinute,
	HISTORY_HORIZON_MS,
	MAX_DONE_IDS,
	MAX_PENDING_AGE_MS,
	MAX_PENDING_IDS,
	minuteOf,
} from './cursor';
import { newestTimeOf, rowTime } from '../helpers/listOrder';

export class TriggerMemory {
	/** id -> server minute of its time. */
	readonly done = new Map<number, number>();

	/** id -> server time (ms) it is aged by; -Infinity until it is seen with a time. */
	readonly pending = new Map<number, number>();

	newestTs: number;

	floorTs: number;

	/** No cursor yet (first activation, or an upgrade): what is there now is the starting point. */
	readonly baseline: boolean;

	readonly legacyWatermarkId: number | undefined;

	constructor(cursor: TriggerCursor | undefined) {
		this.baseline = !cursor || cursor.legacyWatermarkId !== undefined;
		this.legacyWatermarkId = cursor?.legacyWatermarkId;
		this.newestTs = cursor?.newestTs ?? Number.NEGATIVE_INFINITY;
		this.floorTs = cursor?.floorTs ?? Number.NEGATIVE_INFINITY;
		for (const [minute, ids] of Object.entries(cursor?.done ?? {})) for (const id of ids) this.done.set(id, Number(minute));
		for (const [id, ts] of Object.entries(cursor?.pending ?? {})) this.pending.set(Number(id), ts);
	}

	/** Takes note of the newest timestamps a page shows. */
	observe(rows: GenerationSummary[]): void {
		for (const row of rows) this.newestTs = Math.max(this.newestTs, newestTimeOf(row) ?? Number.NEGATIVE_INFINITY);
	}

	/** Rows at or before this server time cannot be new (before the start, or past retention). */
	historyTs(): number {
		return Math.max(this.floorTs, this.newestTs - HISTORY_HORIZON_MS);
	}

	isHistory(row: GenerationSummary): boolean {
		const at = rowTime(row);
		return at !== undefined && at <= this.historyTs();
	}

	/**
	 * How old a row the memory knows is, by the time noted when it was first
	 * classified (a row without created_at is otherwise aged by updated_at, which
	 * moves when it ends); undefined for a row the memory does not know.
	 */
	knownTime(row: GenerationSummary): number | undefined {
		const minute = this.done.get(row.id);
		if (minute !== undefined) return endOfMinute(minute);
		const pendingSince = this.pending.get(row.id);
		if (pendingSince !== undefined) return Number.isFinite(pendingSince) ? pendingSince : undefined;
		return this.isHistory(row) ? rowTime(row) : undefined;
	}

	/** The time a row is aged by; a row without timestamps is aged from when the server's newest row was this. */
	timeFor(row: GenerationSummary): number {
		return rowTime(row) ?? (Number.isFinite(this.newestTs) ? this.newestTs : 0);
	}

	markDone(row: GenerationSummary): void {
		this.pending.delete(row.id);
		this.done.set(row.id, minuteOf(this.timeFor(row)));
	}

	markPending(row: GenerationSummary): void {
		const known = this.pending.get(row.id);
		this.pending.set(row.id, known !== undefined && Number.isFinite(known) ? known : this.timeFor(row));
	}

	/** Forgets what the server's own timestamps make history; enforces the size limits, with a warning. */
	prune(logger: Logger): void {
		const history = this.historyTs();
		for (const [id, minute] of this.done) if (endOfMinute(minute) <= history) this.done.delete(id);
		this.capDone(logger);
		const stale = [...this.pending].filter(([, ts]) => Number.isFinite(ts) && ts < this.newestTs - MAX_PENDING_AGE_MS);
		this.dropPending(stale.map(([id]) => id), logger, 'still running 6 hours after (server time), and newer generations exist');
		const byAge = [...this.pending].sort((a, b) => a[1] - b[1]);
		this.dropPending(byAge.slice(0, Math.max(0, byAge.length - MAX_PENDING_IDS)).map(([id]) => id), logger, `more than ${MAX_PENDING_IDS} generations are running at once`);
	}

	dropPending(ids: number[], logger: Logger, reason: string): void {
		if (ids.length === 0) return;
		for (const id of ids) this.pending.delete(id);
		logger.warn(`RotateProduct Trigger stops waiting for ${ids.length} generation(s): ${reason}. Their end will not be reported. Ids: ${ids.slice(0, 50).join(', ')}${ids.length > 50 ? ', ...' : ''}`);
	}

	toCursor(head: string | undefined, total: number): TriggerCursor {
		const done: Record<string, number[]> = {};
		for (const [id, minute] of this.done) (done[minute] ??= []).push(id);
		return { version: 2, newestTs: this.newestTs, floorTs: this.floorTs, done, pending: Object.fromEntries(this.pending), head, total };
	}

	/** Over the limit, the oldest minutes are forgotten and become history (floorTs moves up). */
	private capDone(logger: Logger): void {
		if (this.done.size <= MAX_DONE_IDS) return;
		const oldestFirst = [...this.done].sort((a, b) => a[1] - b[1]);
		let dropped = 0;
		// Whole minutes at a time, so the new floor never cuts a minute in two.
		while (this.done.size > MAX_DONE_IDS && dropped < oldestFirst.length) {
			const minute = oldestFirst[dropped][1];
			for (; dropped < oldestFirst.length && oldestFirst[dropped][1] === minute; dropped++) this.done.delete(oldestFirst[dropped][0]);
			this.floorTs = Math.max(this.floorTs, endOfMinute(minute));
		}
		logger.warn(`RotateProduct Trigger remembers at most ${MAX_DONE_IDS} reported generations: it forgot ${dropped} and now treats generations created before ${new Date(this.floorTs).toISOString()} (server time) as history; one appearing in the list later with an older time would not be reported.`);
	}
}
