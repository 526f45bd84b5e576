/**
 * What the trigger owes: every event the list sync found goes to the end of the
 * outbox (saved with the memory), and each poll reports from its front, in
 * order. An event costs nothing unless it carries a video; a poll downloads at
 * most `maxDownloads` videos and starts none after its time budget, so the rest
 * of a large backlog is reported by the next polls, each event once. Every
 * download is awaited before the poll returns: none outlives its poll.
 *
 * A download that fails in a way that may heal (network, 5xx, 408, 429, a body
 * cut short) stops the poll's reporting there; the event stays at the front and
 * is tried again on the next poll, up to MAX_DOWNLOAD_TRIES polls, then reported
 * with `downloadError`. A 4xx the server means (the video is gone, or refused)
 * is reported at once with `downloadError`.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { generationJson } from '../helpers/status';
import type { GenerationSummary } from '../helpers/types';
import { downloadGenerationVideo } from '../helpers/waitAndDownload';
import { httpStatusOf } from '../../shared/http';
import { messageOf } from '../../shared/items';
import type { TriggerEvent } from './filter';

export interface OwedEvent {
	event: TriggerEvent;
	generation: GenerationSummary;
	/** Polls on which its download failed in a way that may heal. */
	tries?: number;
}

/** Polls on which a video's download is tried before the event is reported without it. */
export const MAX_DOWNLOAD_TRIES = 3;

/** Default of the Max Downloads Per Poll option. */
export const DEFAULT_MAX_DOWNLOADS = 25;

/** No download starts this long after the poll began (n8n polls at most once a minute). */
export const DOWNLOAD_TIME_BUDGET_MS = 40_000;

export interface OutboxSettings {
	download: boolean;
	binaryProperty: string;
	maxDownloads: number;
	/** Date.now() after which no download starts (at least one always does). */
	downloadsUntil: number;
	baseUrl: string;
	/** False for a sample (manual mode): a failure is shown at once, nothing is kept for later. */
	retryLater: boolean;
	/** n8n's cancel signal, where the context has one (polls have none today): no download starts after it. */
	signal?: AbortSignal;
}

/** Only what an item shows is kept (static data stays small). */
export function owed(event: TriggerEvent, row: GenerationSummary): OwedEvent {
	const generation: GenerationSummary = { id: row.id, status: row.status };
	if (row.external_id !== undefined) generation.external_id = row.external_id;
	if (row.created_at !== undefined) generation.created_at = row.created_at;
	if (row.updated_at !== undefined) generation.updated_at = row.updated_at;
	return { event, generation };
}

/** Reports from the front of the outbox; returns the items and what is still owed (a new array). */
export async function deliver(
	context: IPollFunctions,
	outbox: OwedEvent[],
	settings: OutboxSettings,
): Promise<{ items: INodeExecutionData[]; rest: OwedEvent[] }> {
	const items: INodeExecutionData[] = [];
	let downloads = 0;
	let next = 0;
	for (; next < outbox.length; next++) {
		const { event, generation } = outbox[next];
		const item: INodeExecutionData = { json: itemJson(event, generation, settings.baseUrl) };
		if (settings.download && event === 'completed') {
			if (downloads >= settings.maxDownloads || (downloads > 0 && Date.now() >= settings.downloadsUntil) || settings.signal?.aborted) break;
			downloads++;
			try {
				item.binary = { [settings.binaryProperty]: await downloadGenerationVideo(context, generation) };
			} catch (error) {
				const tries = (outbox[next].tries ?? 0) + 1;
				const healable = settings.retryLater && mayHeal(error);
				if (healable && tries < MAX_DOWNLOAD_TRIES) {
					const rest = outbox.slice(next);
					rest[0] = { ...rest[0], tries };
					return { items, rest };
				}
				item.json.downloadError = healable
					? `${messageOf(error)} (the download failed on ${tries} polls in a row; the event is reported without the video)`
					: messageOf(error);
			}
		}
		items.push(item);
	}
	return { items, rest: outbox.slice(next) };
}

function itemJson(event: TriggerEvent, generation: GenerationSummary, baseUrl: string): IDataObject {
	return {
		event,
		...generationJson(generation),
		downloadUrl: event === 'completed' ? `${baseUrl.replace(/\/+$/, '')}/generations/${generation.id}` : null,
	};
}

/** A failure a later try may not meet: anything but a 4xx the server means (408 and 429 are "later"). */
function mayHeal(error: unknown): boolean {
	const status = httpStatusOf(error);
	return status === undefined || status >= 500 || status === 408 || status === 429;
}
