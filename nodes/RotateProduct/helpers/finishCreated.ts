/**
 * Generate's "Wait for Completion" and "Download Videos" after the generations
 * exist. Whatever fails from here on (status reads, a download, a cancel), every
 * created generation stays findable: with Continue On Fail each is output with
 * its id and last known state (an error item when its step failed), without it
 * the error names every created id with its item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createdErrorItem, failedAfterCreation, isCancelled } from '../../shared/paidWork';
import { pollSchedule, STILL_RUNNING_MESSAGE } from '../../shared/waiting';
import { generationJson } from './status';
import type { Created } from './submit';
import type { GenerationSummary } from './types';
import { downloadGenerationVideo, waitForGenerations } from './waitAndDownload';

const HOW_TO_CHECK = 'Check them with Get Status or Download Video (videos are kept 1 hour).';

export function generationOutput(entry: Created, generation: GenerationSummary = entry.generation): INodeExecutionData {
	const json = generationJson(generation);
	if (entry.recovered) json.recovered = true;
	if (entry.reused) json.reused = true;
	return { json, pairedItem: { item: entry.itemIndex } };
}

export async function finishCreated(
	context: IExecuteFunctions,
	created: Created[],
	output: Array<INodeExecutionData | undefined>,
): Promise<void> {
	const schedule = pollSchedule(
		context.getNodeParameter('pollIntervalSeconds', 0, 5) as number,
		context.getNodeParameter('waitTimeoutMinutes', 0, 10) as number,
	);
	const latest = new Map<number, GenerationSummary>();
	const current = (entry: Created) => latest.get(entry.generation.id) ?? entry.generation;
	let timedOut = false;
	try {
		timedOut = (
			await waitForGenerations(
				context,
				created.map((c) => c.generation.id),
				schedule,
				latest,
			)
		).timedOut;
	} catch (error) {
		if (!context.continueOnFail() || isCancelled(context))
			throw lost(context, error, created, 'Waiting for the generations');
		for (const entry of created) {
			output[entry.itemIndex] = failedItem(context, error, entry, generationOutput(entry, current(entry)).json);
		}
		return;
	}
	const download = context.getNodeParameter('downloadVideos', 0, false) as boolean;
	const binaryProperty = download ? (context.getNodeParameter('binaryPropertyName', 0, 'data') as string) : '';
	for (const entry of created) {
		const item = generationOutput(entry, current(entry));
		if (timedOut && item.json.state === 'running') item.json.message = STILL_RUNNING_MESSAGE;
		output[entry.itemIndex] = item;
	}
	if (!download) return;
	for (const entry of created) {
		const item = output[entry.itemIndex] as INodeExecutionData;
		if (item.json.state !== 'done') continue;
		try {
			item.binary = {
				[binaryProperty]: await downloadGenerationVideo(context, current(entry), entry.itemIndex),
			};
		} catch (error) {
			if (!context.continueOnFail() || isCancelled(context)) {
				throw lost(context, error, created, `Downloading the video of item ${entry.itemIndex}`, entry.itemIndex);
			}
			output[entry.itemIndex] = failedItem(context, error, entry, item.json);
		}
	}
}

function lost(context: IExecuteFunctions, error: unknown, created: Created[], step: string, itemIndex?: number): Error {
	const work = created.map((c) => ({
		itemIndex: c.itemIndex,
		id: c.generation.id,
	}));
	return failedAfterCreation(context, error, work, {
		noun: 'generation',
		step,
		howToCheck: HOW_TO_CHECK,
		itemIndex,
	});
}

function failedItem(context: IExecuteFunctions, error: unknown, entry: Created, json: IDataObject): INodeExecutionData {
	return createdErrorItem(
		context.getNode(),
		error,
		{ noun: 'generation', id: entry.generation.id, itemIndex: entry.itemIndex },
		json,
	);
}
