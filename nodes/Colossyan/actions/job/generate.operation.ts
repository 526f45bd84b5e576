/**
 * Generate: one Colossyan job per input item, from an avatar and a script, a
 * template, or a raw video creative. Jobs created before a failing item are
 * never lost: they are output, or named in the error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { errorItem, messageOf, withItemIndex } from '../../../shared/items';
import { pollSchedule, STILL_RUNNING_MESSAGE } from '../../../shared/waiting';
import { listAssets } from '../../helpers/api';
import { buildJobRequest } from '../../helpers/jobRequest';
import type { RequestInputs } from '../../helpers/jobRequest';
import { jobJson } from '../../helpers/status';
import type { Avatar, CreatedJob } from '../../helpers/types';
import { downloadGeneratedVideo, readyVideo } from '../../helpers/video';
import { waitForJobs } from '../../helpers/wait';
import { colossyanJson } from '../../transport';
import { allEndedAlready, callbackUrls, hiddenWhenCalledBack, pauseUntilCallbacks, waitMethodField, waitsForCallback } from '../../webhook/pause';
import { withCallback } from '../../webhook/resumeUrl';
import { binaryPropertyOption, waitFields } from '../common.descriptions';
import { generateFields } from './generate.fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['generate'] } },
	[
		...generateFields,
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to wait until each video is finished or failed before the node outputs its items',
		},
		waitMethodField,
		...hiddenWhenCalledBack(waitFields({ waitForCompletion: [true] })),
		{
			displayName: 'Download Video',
			name: 'downloadVideo',
			type: 'boolean',
			default: false,
			description: 'Whether to attach each finished video to its item as binary data',
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		{ ...binaryPropertyOption, displayOptions: { show: { waitForCompletion: [true], downloadVideo: [true] } } },
	] satisfies INodeProperties[],
);

interface Created {
	itemIndex: number;
	job: CreatedJob;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const output: Array<INodeExecutionData | undefined> = [];
	const callback = waitsForCallback(this) ? await callbackUrls(this) : undefined;
	const created = await createJobs(this, output, callback);
	if (callback && created.length > 0 && !(await allEndedAlready(this, created))) {
		return await pauseUntilCallbacks(this, created, output);
	}
	if (created.length > 0 && (this.getNodeParameter('waitForCompletion', 0, false) as boolean)) {
		await waitAndFill(this, created, output);
	} else {
		for (const { itemIndex, job } of created) {
			// `in_queue` is the documented first status of every job.
			const json = jobJson({ id: job.id, videoId: job.videoId, status: 'in_queue' });
			output[itemIndex] = { json, pairedItem: { item: itemIndex } };
		}
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}

/** `callback`: the callback URL of each item's job (replacing the Callback URL field), when waiting for it. */
async function createJobs(
	context: IExecuteFunctions,
	output: Array<INodeExecutionData | undefined>,
	callback?: (itemIndex: number) => string,
): Promise<Created[]> {
	const created: Created[] = [];
	const inputs = requestInputs(context);
	const count = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const built = await buildJobRequest(context, itemIndex, inputs);
			const request = callback ? withCallback(built, callback(itemIndex)) : built;
			const job = await colossyanJson<CreatedJob>(context, {
				method: 'POST',
				path: request.path,
				body: request.body,
				paid: true,
				itemIndex,
				notFound: request.path.endsWith('template-jobs') ? 'no such template job in this workspace' : undefined,
			});
			created.push({ itemIndex, job });
		} catch (error) {
			if (!context.continueOnFail()) throw failedWithCreated(context, error, itemIndex, created);
			output[itemIndex] = errorItem(error, itemIndex);
		}
	}
	return created;
}

/** Avatars and the token are fetched at most once per execution, and only when needed. */
function requestInputs(context: IExecuteFunctions): RequestInputs {
	let avatars: Promise<Avatar[]> | undefined;
	let token: Promise<string> | undefined;
	return {
		avatars: async () => await (avatars ??= listAssets(context, 'actors') as Promise<Avatar[]>),
		apiToken: async () =>
			await (token ??= context.getCredentials('colossyanApi').then((credentials) => String(credentials.apiKey ?? ''))),
	};
}

function failedWithCreated(context: IExecuteFunctions, error: unknown, itemIndex: number, created: Created[]): Error {
	if (created.length === 0) return withItemIndex(context, error, itemIndex);
	const jobs = created.map((c) => `item ${c.itemIndex}: job ${c.job.id}`).join(', ');
	return new NodeOperationError(context.getNode(), `Item ${itemIndex} could not be submitted: ${messageOf(error)}`, {
		itemIndex,
		description: `Jobs already created for earlier items (not lost): ${jobs}. Turn on "Continue On Fail" to get them as output items next to the errors.`,
	});
}

async function waitAndFill(
	context: IExecuteFunctions,
	created: Created[],
	output: Array<INodeExecutionData | undefined>,
): Promise<void> {
	const schedule = pollSchedule(
		context.getNodeParameter('pollIntervalSeconds', 0, 10) as number,
		context.getNodeParameter('waitTimeoutMinutes', 0, 15) as number,
	);
	const { jobs, timedOut } = await waitForJobs(context, new Map(created.map((c) => [c.job.id, c.itemIndex])), schedule);
	const download = context.getNodeParameter('downloadVideo', 0, false) as boolean;
	for (const { itemIndex, job: first } of created) {
		const job = jobs.get(first.id) ?? { ...first, status: 'in_queue' };
		const json: IDataObject = jobJson({ ...job, videoId: job.videoId ?? first.videoId });
		if (timedOut && json.state === 'running') {
			json.message = STILL_RUNNING_MESSAGE;
		}
		const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (download && json.state === 'done') {
			try {
				const binaryProperty = context.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
				const { video } = await readyVideo(context, { by: 'video', id: first.videoId }, itemIndex);
				item.binary = { [binaryProperty]: await downloadGeneratedVideo(context, video, itemIndex) };
			} catch (error) {
				if (!context.continueOnFail()) throw withItemIndex(context, error, itemIndex);
				item.json.error = messageOf(error);
			}
		}
		output[itemIndex] = item;
	}
}
