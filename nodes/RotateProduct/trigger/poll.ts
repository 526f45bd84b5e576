/**
 * One poll: read the window that can still change, report each generation's
 * events exactly once, and move the cursor only when the whole poll succeeded
 * (an API error leaves it where it was, so the next poll reports the same events).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { getGeneration } from '../helpers/lookup';
import { generationJson, generationState } from '../helpers/status';
import type { GenerationSummary } from '../helpers/types';
import { downloadGenerationVideo } from '../helpers/waitAndDownload';
import { httpStatusOf } from '../../shared/http';
import { messageOf } from '../../shared/items';
import type { TriggerCursor } from './cursor';
import { MAX_PENDING_AGE_MS, pendingIds, readCursor, writeCursor } from './cursor';
import type { TriggerEvent, TriggerFilter } from './filter';
import { readFilter } from './filter';
import { readNewestDownTo } from './window';

interface Emission {
	event: TriggerEvent;
	generation: GenerationSummary;
}

export async function pollGenerations(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filter = readFilter(context);
	if (context.getMode() === 'manual') return await sample(context, filter);
	const staticData = context.getWorkflowStaticData('node');
	const cursor = readCursor(staticData);
	const { next, emissions } = cursor ? await advance(context, cursor, filter) : await start(context, filter);
	const items = await toItems(context, emissions);
	writeCursor(staticData, next);
	return items.length > 0 ? [items] : null;
}

/** First activation: remember "now"; report only what the user asked to include from the recent past. */
async function start(context: IPollFunctions, filter: TriggerFilter): Promise<{ next: TriggerCursor; emissions: Emission[] }> {
	const rows = [...(await readNewestDownTo(context, Number.POSITIVE_INFINITY)).values()];
	const next: TriggerCursor = { version: 1, watermarkId: Math.max(0, ...rows.map((row) => row.id)), pending: {} };
	const recentMs = (context.getNodeParameter('options.includeRecentMinutes', 0) as number) * 60_000;
	const emissions: Emission[] = [];
	for (const row of rows.filter((candidate) => filter.matches(candidate))) {
		const state = generationState(row.status);
		if (state === 'running') next.pending[row.id] = createdAt(row);
		else if (recentMs > 0 && Date.now() - createdAt(row) <= recentMs) emissions.push(...settledEvents(row, filter));
	}
	return { next, emissions };
}

async function advance(
	context: IPollFunctions,
	cursor: TriggerCursor,
	filter: TriggerFilter,
): Promise<{ next: TriggerCursor; emissions: Emission[] }> {
	const pending = new Set(pendingIds(cursor));
	const rows = await readNewestDownTo(context, Math.min(cursor.watermarkId, ...pending));
	await addMissingPending(context, pending, rows);
	const next: TriggerCursor = { version: 1, watermarkId: Math.max(cursor.watermarkId, ...rows.keys()), pending: {} };
	const emissions: Emission[] = [];
	for (const row of [...rows.values()].sort((a, b) => a.id - b.id)) {
		const isNew = row.id > cursor.watermarkId;
		if (!isNew && !pending.has(row.id)) continue;
		if (!filter.matches(row)) continue;
		if (isNew && filter.events.has('created')) emissions.push({ event: 'created', generation: row });
		if (generationState(row.status) !== 'running') emissions.push(...settledEvents(row, filter));
		else if (Date.now() - createdAt(row) < MAX_PENDING_AGE_MS) next.pending[row.id] = createdAt(row);
	}
	return { next, emissions };
}

/** A pending generation the window did not show is asked for directly; one that is gone is dropped. */
async function addMissingPending(
	context: IPollFunctions,
	pending: Set<number>,
	rows: Map<number, GenerationSummary>,
): Promise<void> {
	for (const id of pending) {
		if (rows.has(id)) continue;
		try {
			rows.set(id, await getGeneration(context, id));
		} catch (error) {
			const status = httpStatusOf(error);
			if (status !== '404' && status !== '410') throw new NodeApiError(context.getNode(), error as JsonObject);
			pending.delete(id);
		}
	}
}

function settledEvents(row: GenerationSummary, filter: TriggerFilter): Emission[] {
	const state = generationState(row.status);
	if (state === 'running') return [];
	const event: TriggerEvent = state === 'done' ? 'completed' : 'failed';
	return filter.events.has(event) ? [{ event, generation: row }] : [];
}

/** Manual mode: the most recent matching generation as a sample; the cursor is not touched. */
async function sample(context: IPollFunctions, filter: TriggerFilter): Promise<INodeExecutionData[][] | null> {
	const rows = [...(await readNewestDownTo(context, Number.POSITIVE_INFINITY)).values()].sort((a, b) => b.id - a.id);
	for (const row of rows.filter((candidate) => filter.matches(candidate))) {
		const emissions = settledEvents(row, filter);
		if (emissions.length === 0 && filter.events.has('created')) emissions.push({ event: 'created', generation: row });
		if (emissions.length > 0) return [await toItems(context, emissions.slice(0, 1))];
	}
	return null;
}

async function toItems(context: IPollFunctions, emissions: Emission[]): Promise<INodeExecutionData[]> {
	const download = context.getNodeParameter('options.downloadVideo', false) as boolean;
	const binaryProperty = context.getNodeParameter('options.binaryPropertyName', 'data') as string;
	const { baseUrl } = await context.getCredentials<{ baseUrl?: string }>('rotateProductApi');
	const items: INodeExecutionData[] = [];
	for (const { event, generation } of emissions) {
		const json: IDataObject = {
			event,
			...generationJson(generation),
			downloadUrl: event === 'completed' ? `${String(baseUrl ?? '').replace(/\/+$/, '')}/generations/${generation.id}` : null,
		};
		const item: INodeExecutionData = { json };
		if (download && event === 'completed') {
			try {
				item.binary = { [binaryProperty]: await downloadGenerationVideo(context, generation) };
			} catch (error) {
				// The event is still reported; a video that cannot be fetched must not block the cursor forever.
				json.downloadError = messageOf(error);
			}
		}
		items.push(item);
	}
	return items;
}

function createdAt(row: GenerationSummary): number {
	const at = Date.parse(row.created_at ?? '');
	return Number.isNaN(at) ? Date.now() : at;
}
