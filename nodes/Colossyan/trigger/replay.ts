/**
 * A callback delivered again (same URL, same body) is acknowledged but starts
 * no second execution; in signature mode a signed URL (one per job, one
 * callback per job) starts at most one execution whatever the body says.
 *
 * Where the memory lives, and why:
 * - the node's workflow static data: n8n saves it after `webhook()` returns
 *   (live-webhooks.ts calls saveStaticData in the response callback, in regular
 *   and queue mode alike, since queue mode's webhook processes run the same
 *   code), so it survives restarts and is shared by every process that handles
 *   the workflow's webhooks one after another. It holds at most MAX_ENTRIES
 *   hashes, none older than MAX_AGE_MS.
 * - an in-process set of deliveries being handled right now: each request loads
 *   static data from the database, so a copy arriving while the first is still
 *   in `webhook()` (downloading) would not see it there.
 * Limits: copies handled at the same moment by different processes (several
 * webhook processes in queue mode) can both start; test URLs (manual mode) keep
 * nothing, as n8n does not save static data for them.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { NONCE_PARAMETER } from '../helpers/callbackToken';

export const MAX_ENTRIES = 1000;
export const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const inFlight = new Set<string>();

type Seen = Record<string, number>;

/** What identifies a delivery: the signed URL's nonce, else the whole query and the raw body. */
export function deliveryKey(context: IWebhookFunctions, query: Record<string, unknown>, signed: boolean): string {
	const nonce = query[NONCE_PARAMETER];
	const hash = createHash('sha256');
	if (signed && typeof nonce === 'string') {
		hash.update(`nonce\0${nonce}`);
	} else {
		const request = context.getRequestObject() as { rawBody?: Buffer };
		const sortedQuery = Object.keys(query).sort().map((key) => [key, query[key]]);
		hash.update(`query\0${JSON.stringify(sortedQuery)}\0body\0`);
		hash.update(Buffer.isBuffer(request.rawBody) ? request.rawBody : JSON.stringify(context.getBodyData()));
	}
	return hash.digest('base64url');
}

/**
 * Claims a delivery: true the first time, false for a copy. A claimed delivery
 * is remembered in static data at once and released from the in-process set
 * by `release` once the request is done.
 */
export function claimDelivery(context: IWebhookFunctions, key: string): boolean {
	const scope = `${context.getWorkflow().id ?? ''}\0${context.getNode().name}\0${key}`;
	if (inFlight.has(scope)) return false;
	const data = context.getWorkflowStaticData('node');
	const seen = pruned(data.callbacksSeen, Date.now());
	if (seen[key] !== undefined) return false;
	seen[key] = Date.now();
	data.callbacksSeen = capped(seen) as IDataObject;
	inFlight.add(scope);
	return true;
}

export function releaseDelivery(context: IWebhookFunctions, key: string): void {
	inFlight.delete(`${context.getWorkflow().id ?? ''}\0${context.getNode().name}\0${key}`);
}

function pruned(value: unknown, now: number): Seen {
	const seen: Seen = {};
	if (value === null || typeof value !== 'object') return seen;
	for (const [key, at] of Object.entries(value as Record<string, unknown>)) {
		if (typeof at === 'number' && now - at < MAX_AGE_MS) seen[key] = at;
	}
	return seen;
}

/** The newest MAX_ENTRIES deliveries. */
function capped(seen: Seen): Seen {
	const entries = Object.entries(seen);
	if (entries.length <= MAX_ENTRIES) return seen;
	return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_ENTRIES));
}
