/**
 * "Wait: Until Colossyan Calls Back", the execute() side: every job gets the
 * execution's own resume URL as its callback, then the execution is put to
 * wait (n8n saves it and frees the process and the worker). `resume.ts`
 * continues it when the last job has ended.
 *
 * Where the state lives between callbacks: in the execution itself. n8n keeps
 * the waiting node's input items (its stack entry) in the saved execution, and
 * hands them back both to `webhook()` (as `$input`) and, when the wait times
 * out, to the next node (a timed-out wait resumes the node disabled, which
 * passes its input through: n8n-core's `handleWaitingState`). So the node
 * replaces its input with one "running" item per job: the list every callback
 * checks, and the output of a timeout (saved as a copy: `waitState.ts`).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { inItemOrder } from '../../shared/items';
import { rememberPausedOutput } from '../../shared/paidLedger';
import { getJob } from '../helpers/api';
import { jobJson, jobState } from '../helpers/status';
import type { CreatedJob } from '../helpers/types';
import { JOB_POLL } from '../helpers/types';
import type { ResumeSettings } from './resumeUrl';
import { colossyanApiToken } from '../transport';
import { resumeCallbackUrl } from './resumeUrl';
import { saveWaitingItems } from './waitState';

/**
 * Said on each job's item while the execution waits, and output as it is when the
 * wait times out: n8n continues a timed-out wait without running the node (it
 * passes on what the node saved when it paused), so nothing can be checked then.
 */
export const CALLBACK_TIMEOUT_MESSAGE =
	'Still running when the wait timed out, or ended without n8n learning it: this is the job as it was when the wait began. ' +
	'n8n continues a timed-out wait without asking Colossyan, and Colossyan calls back only when a job succeeds ' +
	'(a failed job may never call back). Check the job with Get Status.';

export const waitMethodField: INodeProperties = {
	displayName: 'Wait Method',
	name: 'waitMethod',
	type: 'options',
	options: [
		{
			name: 'Poll the Job',
			value: 'poll',
			description: 'The node checks each job at growing intervals; the execution stays running (and holds a worker) until the end',
		},
		{
			name: 'Until Colossyan Calls Back',
			value: 'callback',
			description:
				'The execution is paused and saved; Colossyan calls it back when a video succeeds, and it continues once every job has ended. A failed job may never call back: it is found when another callback arrives, else the wait runs to its timeout. n8n must be reachable from the internet.',
		},
	],
	default: 'poll',
	displayOptions: { show: { waitForCompletion: [true] } },
};

/** The polling interval means nothing when Colossyan calls back. */
export function hiddenWhenCalledBack(fields: INodeProperties[]): INodeProperties[] {
	return fields.map((field) =>
		field.name === 'pollIntervalSeconds'
			? { ...field, displayOptions: { ...field.displayOptions, hide: { waitMethod: ['callback'] } } }
			: field,
	);
}

/**
 * Whether to wait for the callback. Where the context cannot pause the execution
 * (the node run as an AI agent's tool gets a context without putExecutionToWait)
 * the node polls instead.
 */
export function waitsForCallback(context: IExecuteFunctions): boolean {
	const canPause = typeof context.putExecutionToWait === 'function' && typeof context.getExecuteData === 'function';
	return (
		canPause &&
		(context.getNodeParameter('waitForCompletion', 0, false) as boolean) &&
		context.getNodeParameter('waitMethod', 0, 'poll') === 'callback'
	);
}

/** Gives each item's job its callback URL; the settings are read once, from the first item. */
export async function callbackUrls(context: IExecuteFunctions): Promise<(itemIndex: number) => string> {
	const settings: ResumeSettings = {
		download: context.getNodeParameter('downloadVideo', 0, false) as boolean,
		binaryPropertyName: String(context.getNodeParameter('binaryPropertyName', 0, 'data') ?? 'data'),
	};
	const token = await colossyanApiToken(context);
	return (itemIndex) => resumeCallbackUrl(context, token, { ...settings, itemIndex });
}

/** Whether every job has already ended (then the node outputs them as polling does, without pausing). */
export async function allEndedAlready(context: IExecuteFunctions, created: Array<{ itemIndex: number; job: CreatedJob }>): Promise<boolean> {
	for (const { itemIndex, job } of created) {
		let status: string;
		try {
			status = (await getJob(context, job.id, itemIndex)).status;
		} catch {
			// The jobs exist and are paid for: an unreadable status must not lose them, so
			// pause anyway and let the callbacks (each confirmed through the API) decide.
			return false;
		}
		if (jobState(status) === 'running') return false;
	}
	return true;
}

/** How long the execution may wait; at least a minute (n8n's wait tracker looks once a minute). */
function deadline(context: IExecuteFunctions): Date {
	const minutes = Math.max(1, Number(context.getNodeParameter('waitTimeoutMinutes', 0, JOB_POLL.timeoutMinutes)) || 0);
	return new Date(Date.now() + minutes * 60_000);
}

/**
 * Pauses the execution; returns what the node shows while it waits: a "running"
 * item per job, next to `errorItems` (items that failed before, under Continue On Fail).
 */
export async function pauseUntilCallbacks(
	context: IExecuteFunctions,
	created: Array<{ itemIndex: number; job: CreatedJob }>,
	errorItems: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const running = created.map(({ itemIndex, job }): INodeExecutionData => {
		const json: IDataObject = { ...jobJson({ id: job.id, videoId: job.videoId, status: 'in_queue' }), message: CALLBACK_TIMEOUT_MESSAGE };
		return { json, pairedItem: { item: itemIndex } };
	});
	const shown = saveWaitingItems(context, inItemOrder([...errorItems, ...running]));
	await context.putExecutionToWait(deadline(context));
	rememberPausedOutput(context, shown);
	return shown;
}
