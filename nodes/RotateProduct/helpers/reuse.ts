/**
 * "Reuse Recent Generations": an item whose External ID already has a running
 * or finished generation from the last hour (RotateProduct keeps videos that
 * long, by the server's clock) gets that generation back instead of a new, paid one. Only the list
 * pages that can hold the last hour are read: newest first, until a page
 * reaches rows older than the window, so an account's history costs nothing.
 * A list row carries no image, so a row cannot tell which product it was made
 * from: an External ID that items of this run share while asking for different
 * videos (image, end image or description) is never reused; those items are
 * generated anew (and paired by helpers/pairing.ts).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { serverTime } from '../../shared/time';
import { ListWalker } from './listWalker';
import { readServerClock } from './lookup';
import { generationState } from './status';
import { interchangeable } from './pairing';
import type { Created, PendingItem } from './submit';
import type { GenerationSummary } from './types';
import { VIDEO_RETENTION_MS } from './types';

/** RotateProduct keeps a generation's video for 1 hour after creation. */
export const RETENTION_MS = VIDEO_RETENTION_MS;

export interface ReuseSplit {
	reused: Created[];
	toCreate: PendingItem[];
}

export async function reuseRecent(context: IExecuteFunctions, pending: PendingItem[]): Promise<ReuseSplit> {
	const wanted = reusableExternalIds(pending);
	if (wanted.size === 0) return { reused: [], toCreate: pending };
	// "The last hour" by the server's clock (n8n's may be hours off); unknown: nothing is reused.
	const clock = await readServerClock(context);
	if (!clock) return { reused: [], toCreate: pending };
	const recent = await recentByExternalId(context, wanted, clock.latest() - RETENTION_MS);
	const split: ReuseSplit = { reused: [], toCreate: [] };
	for (const item of pending) {
		const externalId = item.request.externalId;
		const generation = externalId === undefined || !wanted.has(externalId) ? undefined : recent.get(externalId);
		if (generation) split.reused.push({ itemIndex: item.itemIndex, generation, reused: true });
		else split.toCreate.push(item);
	}
	return split;
}

/** The External IDs whose items in this run all ask for the same video (one product each). */
function reusableExternalIds(pending: PendingItem[]): Set<string> {
	const byExternalId = new Map<string, PendingItem['request'][]>();
	for (const { request } of pending) {
		if (request.externalId === undefined) continue;
		const requests = byExternalId.get(request.externalId) ?? [];
		requests.push(request);
		byExternalId.set(request.externalId, requests);
	}
	return new Set([...byExternalId].filter(([, requests]) => interchangeable(requests)).map(([externalId]) => externalId));
}

/** The newest usable (running or finished, inside the window) generation per wanted External ID. */
async function recentByExternalId(
	context: IExecuteFunctions,
	wanted: Set<string>,
	since: number,
): Promise<Map<string, GenerationSummary>> {
	const found = new Map<string, GenerationSummary>();
	const take = (rows: GenerationSummary[]): boolean => {
		let reachedOld = false;
		for (const row of rows) {
			const created = serverTime(row.created_at);
			// A row whose age cannot be read is not reused (its video may have expired).
			if (created === undefined) continue;
			if (created < since) {
				reachedOld = true;
				continue;
			}
			const externalId = row.external_id;
			if (typeof externalId !== 'string' || !wanted.has(externalId) || generationState(row.status) === 'failed') continue;
			const known = found.get(externalId);
			if (!known || known.id < row.id) found.set(externalId, row);
		}
		return reachedOld;
	};
	// From the newest page on, until a page reaches rows older than the window.
	const walker = await ListWalker.start(context);
	for await (const rows of walker.pages()) if (take(rows)) break;
	return found;
}
