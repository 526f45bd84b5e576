/**
 * Generate's "Wait for Completion" and "Download Video" after the jobs exist.
 * Whatever fails from here on (status reads, a download, a cancel), every
 * created job stays findable: with Continue On Fail each is output with its id
 * and last known state (an error item when its step failed), without it the
 * error names every created job with its item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createdErrorItem, failedAfterCreation, isCancelled } from '../../shared/paidWork';
import { pollSchedule, STILL_RUNNING_MESSAGE } from '../../shared/waiting';
import type { CreatedEntry } from './createJobs';
import { jobJson } from './status';
import type { VideoJob } from './types';
import { downloadGeneratedVideo, readyVideo } from './video';
import { waitForJobs } from './wait';

const HOW_TO_CHECK = 'Check them with Get Status or Download Video.';

export async function finishJobs(
	context: IExecuteFunctions,
	created: CreatedEntry[],
	output: Array<INodeExecutionData | undefined>,
): Promise<void> {
	const schedule = pollSchedule(
		context.getNodeParameter('pollIntervalSeconds', 0, 10) as number,
		context.getNodeParameter('waitTimeoutMinutes', 0, 15) as number,
	);
	const latest = new Map<string, VideoJob>();
	const jsonOf = ({ job }: CreatedEntry): IDataObject => {
		const known = latest.get(job.id) ?? { ...job, status: 'in_queue' };
		return jobJson({ ...known, videoId: known.videoId ?? job.videoId });
	};
	let timedOut = false;
	try {
		timedOut = (await waitForJobs(context, new Map(created.map((c) => [c.job.id, c.itemIndex])), schedule, latest))
			.timedOut;
	} catch (error) {
		if (!context.continueOnFail() || isCancelled(context)) throw lost(context, error, created, 'Waiting for the jobs');
		for (const entry of created) output[entry.itemIndex] = failedItem(context, error, entry, jsonOf(entry));
		return;
	}
	for (const entry of created) {
		const json = jsonOf(entry);
		if (timedOut && json.state === 'running') json.message = STILL_RUNNING_MESSAGE;
		output[entry.itemIndex] = { json, pairedItem: { item: entry.itemIndex } };
	}
	if (!(context.getNodeParameter('downloadVideo', 0, false) as boolean)) return;
	for (const entry of created) {
		const item = output[entry.itemIndex] as INodeExecutionData;
		if (item.json.state !== 'done') continue;
		try {
			const binaryProperty = context.getNodeParameter('binaryPropertyName', entry.itemIndex, 'data') as string;
			const { video } = await readyVideo(context, { by: 'video', id: entry.job.videoId }, entry.itemIndex);
			item.binary = {
				[binaryProperty]: await downloadGeneratedVideo(context, video, entry.itemIndex),
			};
		} catch (error) {
			if (!context.continueOnFail() || isCancelled(context)) {
				throw lost(context, error, created, `Downloading the video of item ${entry.itemIndex}`, entry.itemIndex);
			}
			output[entry.itemIndex] = failedItem(context, error, entry, item.json);
		}
	}
}

function lost(
	context: IExecuteFunctions,
	error: unknown,
	created: CreatedEntry[],
	step: string,
	itemIndex?: number,
): Error {
	const work = created.map((c) => ({ itemIndex: c.itemIndex, id: c.job.id }));
	return failedAfterCreation(context, error, work, {
		noun: 'job',
		step,
		howToCheck: HOW_TO_CHECK,
		itemIndex,
	});
}

function failedItem(
	context: IExecuteFunctions,
	error: unknown,
	entry: CreatedEntry,
	json: IDataObject,
): INodeExecutionData {
	return createdErrorItem(
		context.getNode(),
		error,
		{ noun: 'job', id: entry.job.id, itemIndex: entry.itemIndex },
		json,
	);
}
