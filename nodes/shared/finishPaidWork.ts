/**
 * Generate's "Wait for Completion" and "Download Video(s)" after the paid work
 * exists, for either service. Whatever fails from here on (status reads, a
 * download, a cancel), every created entry stays findable: with Continue On
 * Fail each is output with its id and last known state (an error item when its
 * step failed), without it the error names every created id with its item.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CreatedWork } from './paidWork';
import { createdErrorItem, failedAfterCreation, isCancelled } from './paidWork';
import type { PollDefaults, PollSchedule } from './waiting';
import { readPollSchedule, STILL_RUNNING_MESSAGE } from './waiting';

/** What a service brings to the shared finish: its words, its fields, and how it waits and downloads. */
export interface PaidWorkService<Entry extends { itemIndex: number }> {
	/** One unit of paid work: `job`, `generation`. */
	noun: string;
	/** Where the user finds the created work, e.g. "Check them with Get Status". */
	howToCheck: string;
	/** The boolean field that turns the download on (read from the first item). */
	downloadParameter: string;
	/** The defaults of the wait fields. */
	poll: PollDefaults;
	idOf(entry: Entry): string | number;
	/** Waits until every entry settles; keeps what it learns, so `jsonOf` has it even when the wait fails. */
	wait(entries: Entry[], schedule: PollSchedule): Promise<{ timedOut: boolean }>;
	/** The entry's output json with its last known state (`state` is `running`, `done` or `failed`). */
	jsonOf(entry: Entry): IDataObject;
	/** The finished video of the entry as binary data. */
	download(entry: Entry): Promise<IBinaryData>;
}

/** One output item per created entry (in the order given), each paired with its input item. */
export async function finishPaidWork<Entry extends { itemIndex: number }>(
	context: IExecuteFunctions,
	created: Entry[],
	service: PaidWorkService<Entry>,
): Promise<INodeExecutionData[]> {
	const lost = (error: unknown, step: string, itemIndex?: number): Error =>
		failedAfterCreation(context, error, created.map((entry) => workOf(service, entry)), {
			noun: service.noun,
			step,
			howToCheck: service.howToCheck,
			itemIndex,
		});
	let timedOut: boolean;
	try {
		({ timedOut } = await service.wait(created, readPollSchedule(context, service.poll)));
	} catch (error) {
		if (!context.continueOnFail() || isCancelled(context)) throw lost(error, `Waiting for the ${service.noun}s`);
		return created.map((entry) => failedItem(context, service, error, entry, service.jsonOf(entry)));
	}
	const items = created.map((entry) => settledItem(service, entry, timedOut));
	if (!(context.getNodeParameter(service.downloadParameter, 0, false) as boolean)) return items;
	for (const [index, entry] of created.entries()) {
		const item = items[index];
		if (item.json.state !== 'done') continue;
		try {
			// Per item, like every other field: an expression may name a field per item.
			const binaryProperty = context.getNodeParameter('binaryPropertyName', entry.itemIndex, 'data') as string;
			item.binary = { [binaryProperty]: await service.download(entry) };
		} catch (error) {
			if (!context.continueOnFail() || isCancelled(context)) {
				throw lost(error, `Downloading the video of item ${entry.itemIndex}`, entry.itemIndex);
			}
			items[index] = failedItem(context, service, error, entry, item.json);
		}
	}
	return items;
}

function settledItem<Entry extends { itemIndex: number }>(
	service: PaidWorkService<Entry>,
	entry: Entry,
	timedOut: boolean,
): INodeExecutionData {
	const json = service.jsonOf(entry);
	if (timedOut && json.state === 'running') json.message = STILL_RUNNING_MESSAGE;
	return { json, pairedItem: { item: entry.itemIndex } };
}

function workOf<Entry extends { itemIndex: number }>(service: PaidWorkService<Entry>, entry: Entry): CreatedWork {
	return { itemIndex: entry.itemIndex, id: service.idOf(entry) };
}

function failedItem<Entry extends { itemIndex: number }>(
	context: IExecuteFunctions,
	service: PaidWorkService<Entry>,
	error: unknown,
	entry: Entry,
	json: IDataObject,
): INodeExecutionData {
	return createdErrorItem(context.getNode(), error, { ...workOf(service, entry), noun: service.noun }, json);
}
