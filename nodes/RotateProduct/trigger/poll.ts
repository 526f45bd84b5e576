/**
 * One poll: read the part of the list that can have changed (sync.ts), report
 * each generation's events exactly once, and save the memory only when the
 * whole poll succeeded (an API error leaves it where it was, so the next poll
 * reports the same events).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { generationJson } from '../helpers/status';
import { downloadGenerationVideo } from '../helpers/waitAndDownload';
import { messageOf } from '../../shared/items';
import { rotateProductBaseUrl } from '../transport';
import { readCursor, writeCursor } from './cursor';
import type { TriggerFilter } from './filter';
import { readFilter } from './filter';
import { rowTime } from '../helpers/listOrder';
import type { Emission } from './sync';
import { endEvents, syncWithList } from './sync';
import { ListWalker } from '../helpers/listWalker';

export async function pollGenerations(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filter = readFilter(context);
	if (context.getMode() === 'manual') return await sample(context, filter);
	const staticData = context.getWorkflowStaticData('node');
	const recentMs = (context.getNodeParameter('options.includeRecentMinutes', 0) as number) * 60_000;
	const { next, emissions } = await syncWithList(context, readCursor(staticData), filter, recentMs);
	const items = await toItems(context, emissions);
	writeCursor(staticData, next);
	return items.length > 0 ? [items] : null;
}

/** Manual mode: the most recent matching generation as a sample; the memory is not touched. */
async function sample(context: IPollFunctions, filter: TriggerFilter): Promise<INodeExecutionData[][] | null> {
	const walker = await ListWalker.open(context);
	const newestFirst = [...walker.newEndRows].sort((a, b) => (rowTime(b) ?? 0) - (rowTime(a) ?? 0) || b.id - a.id);
	for (const row of newestFirst.filter((candidate) => filter.matches(candidate))) {
		const emissions = endEvents(row, filter);
		if (emissions.length === 0 && filter.events.has('created')) emissions.push({ event: 'created', generation: row });
		if (emissions.length > 0) return [await toItems(context, emissions.slice(0, 1))];
	}
	return null;
}

async function toItems(context: IPollFunctions, emissions: Emission[]): Promise<INodeExecutionData[]> {
	const download = context.getNodeParameter('options.downloadVideo', false) as boolean;
	const binaryProperty = context.getNodeParameter('options.binaryPropertyName', 'data') as string;
	const baseUrl = await rotateProductBaseUrl(context);
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
