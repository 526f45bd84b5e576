/**
 * One poll: read the part of the list that can have changed (sync.ts), add the
 * events found to the outbox, report from its front within the poll's download
 * bound (outbox.ts), and save the memory (with what is still owed) only when the
 * whole poll succeeded: an API error leaves it where it was, so the next poll
 * finds the same events. Only one poll of a node runs at a time (oneAtATime.ts),
 * and a poll saves only over the memory it read (its commit number): whatever
 * another poll saved in between wins, and this poll reports nothing.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { rotateProductBaseUrl } from '../transport';
import { commitOf, readCursor, writeCursor } from './cursor';
import type { TriggerFilter } from './filter';
import { readFilter } from './filter';
import { rowTime } from '../helpers/listOrder';
import { endEvents, syncWithList } from './sync';
import { ListWalker } from '../helpers/listWalker';
import { oneAtATime } from './oneAtATime';
import type { OutboxSettings } from './outbox';
import { DEFAULT_MAX_DOWNLOADS, deliver, DOWNLOAD_TIME_BUDGET_MS, owed } from './outbox';

export async function pollGenerations(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (context.getMode() === 'manual') return await sample(context, readFilter(context));
	const node = context.getNode();
	const key = `${String(context.getWorkflow().id)}:${node.id ?? node.name}`;
	return (await oneAtATime(key, async () => await pollOnce(context))) ?? null;
}

async function pollOnce(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const filter = readFilter(context);
	const settings = await readSettings(context, startedAt);
	const recentMs = (context.getNodeParameter('options.includeRecentMinutes', 0) as number) * 60_000;
	const staticData = context.getWorkflowStaticData('node');
	const cursor = readCursor(staticData);
	const readCommit = commitOf(staticData);
	const { next, emissions } = await syncWithList(context, cursor, filter, recentMs);
	const outbox = [...(cursor?.outbox ?? []), ...emissions.map(({ event, generation }) => owed(event, generation))];
	const { items, rest } = await deliver(context, outbox, settings);
	// Another poll saved while this one ran (outside this process's view): its memory stands, these events were its.
	if (commitOf(staticData) !== readCommit) return null;
	writeCursor(staticData, { ...next, outbox: rest, commit: readCommit + 1 });
	return items.length > 0 ? [items] : null;
}

/** Everything a poll reads from its parameters, read before any download. */
async function readSettings(context: IPollFunctions, startedAt: number): Promise<OutboxSettings> {
	const maxDownloads = context.getNodeParameter('options.maxDownloadsPerPoll', DEFAULT_MAX_DOWNLOADS) as number;
	// n8n 2.38+ tells a poll how long it may take; half of it is for downloads, and never more than the default budget.
	const hostBudget = (context as { getPollBudgetMs?: () => number }).getPollBudgetMs?.();
	const budgetMs = typeof hostBudget === 'number' && hostBudget > 0 ? Math.min(DOWNLOAD_TIME_BUDGET_MS, hostBudget / 2) : DOWNLOAD_TIME_BUDGET_MS;
	return {
		download: context.getNodeParameter('options.downloadVideo', false) as boolean,
		binaryProperty: context.getNodeParameter('options.binaryPropertyName', 'data') as string,
		maxDownloads: Number.isFinite(maxDownloads) && maxDownloads >= 1 ? Math.floor(maxDownloads) : DEFAULT_MAX_DOWNLOADS,
		downloadsUntil: startedAt + budgetMs,
		baseUrl: String((await rotateProductBaseUrl(context)) ?? ''),
		retryLater: true,
		signal: (context as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.(),
	};
}

/** Manual mode: the most recent matching generation as a sample; the memory is not touched. */
async function sample(context: IPollFunctions, filter: TriggerFilter): Promise<INodeExecutionData[][] | null> {
	const walker = await ListWalker.open(context);
	const newestFirst = [...walker.newEndRows].sort((a, b) => (rowTime(b) ?? 0) - (rowTime(a) ?? 0) || b.id - a.id);
	for (const row of newestFirst.filter((candidate) => filter.matches(candidate))) {
		const emissions = endEvents(row, filter);
		if (emissions.length === 0 && filter.events.has('created')) emissions.push({ event: 'created', generation: row });
		if (emissions.length === 0) continue;
		// A sample's download is tried once: a failure is shown on the item.
		const settings = { ...(await readSettings(context, Date.now())), maxDownloads: 1, retryLater: false };
		const { items } = await deliver(context, [owed(emissions[0].event, row)], settings);
		return [items];
	}
	return null;
}
