/**
 * What the trigger remembers between polls, in the workflow's static data
 * (which n8n saves with the workflow, so it survives restarts):
 * - `watermarkId`: the newest generation id seen; anything newer is new;
 * - `pending`: generations seen running (id -> creation time), whose end is still to be reported.
 * Everything else is settled history and is never read again.
 */
import type { IDataObject } from 'n8n-workflow';

export interface TriggerCursor {
	version: 1;
	watermarkId: number;
	pending: Record<string, number>;
}

/** A generation running this long is given up on (videos are kept 1 hour; rendering takes minutes). */
export const MAX_PENDING_AGE_MS = 6 * 60 * 60 * 1000;

export function readCursor(staticData: IDataObject): TriggerCursor | undefined {
	const cursor = staticData.cursor as Partial<TriggerCursor> | undefined;
	if (!cursor || cursor.version !== 1 || typeof cursor.watermarkId !== 'number') return undefined;
	return { version: 1, watermarkId: cursor.watermarkId, pending: { ...(cursor.pending ?? {}) } };
}

export function writeCursor(staticData: IDataObject, cursor: TriggerCursor): void {
	staticData.cursor = { ...cursor } as unknown as IDataObject;
}

export function pendingIds(cursor: TriggerCursor): number[] {
	return Object.keys(cursor.pending).map(Number);
}
