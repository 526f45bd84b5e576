/**
 * "Wait: Until Colossyan Calls Back", the webhook() side. n8n's waiting-webhook
 * server calls it for every request to the execution's resume URL while the
 * execution waits. n8n resumes an execution once, and only when webhook()
 * returns `workflowData`; any other answer leaves the saved execution waiting,
 * untouched. So a call:
 * - without this execution's signature: 401, nothing else (no API request);
 * - signed for an item whose job creation answer was lost: its job is taken up
 *   only when Colossyan's API confirms it (lostJob.ts), else 401;
 * - while a job is still running (checked with Colossyan, never taken from the
 *   callback body): acknowledged with 200, the execution keeps waiting;
 * - when Colossyan's API says every job has ended (finished or failed, whether
 *   or not the failed ones called back): answered 200, then the execution
 *   continues once with one item per input item.
 * A replayed call can only continue an execution whose jobs have all ended,
 * and only once: afterwards n8n answers 409 (the execution is running or finished).
 */
import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { getJob } from '../helpers/api';
import { jobState } from '../helpers/status';
import type { WaitingItem } from './finalItems';
import { finalItems } from './finalItems';
import type { WaitMemory } from './jobMemory';
import { endedJob, memoryOf } from './jobMemory';
import { colossyanApiToken } from '../transport';
import { verifiedResumeCall } from './resumeUrl';
import { readWaitingItems } from './waitState';
import { confirmedLostJob } from './lostJob';

/** As n8n's send-and-wait declares its resume webhook: path = node id, used only by waiting executions. */
export const resumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

function reply(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const res = context.getResponseObject();
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

/**
 * Two last callbacks can arrive together; both see every job ended. Within one
 * n8n process they are taken one at a time and only the first continues; later
 * ones learn it from the wait's memory (n8n's own "already running" check covers the rest).
 */
const queues = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
	const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
	queues.set(key, next);
	try {
		return await next;
	} finally {
		if (queues.get(key) === next) queues.delete(key);
	}
}

type Check = 'every job ended' | 'a job is running' | 'known already';

/**
 * Whether every job has ended, with a bounded number of status reads: the jobs
 * not yet known ended are read, the called-back one first, then the ones after
 * it (wrapping round), until one is still running. So a call reads at most one
 * job that is still running, and each job is read at most once after it has
 * ended; a call about a job already known ended (a replay) reads nothing,
 * unless an earlier call could not finish its check. A failed job found this
 * way is final: Colossyan may never call back for it.
 */
async function checkJobs(context: IWebhookFunctions, waiting: WaitingItem[], own: WaitingItem, memory: WaitMemory): Promise<Check> {
	if (memory.ended.has(String(own.jobId)) && !memory.unsure) return 'known already';
	memory.unsure = true; // until this check has finished
	const start = waiting.indexOf(own);
	for (const { jobId, itemIndex } of [...waiting.slice(start), ...waiting.slice(0, start)]) {
		if (jobId === undefined || memory.ended.has(jobId)) continue;
		const job = await getJob(context, jobId, itemIndex);
		if (jobState(job.status) === 'running') {
			memory.unsure = false;
			return 'a job is running';
		}
		memory.ended.set(jobId, endedJob(job));
	}
	memory.unsure = false;
	return 'every job ended';
}

/** The waiting items with the jobs found for lost creation answers, and the called-back item's entry. */
function withRecovered(saved: WaitingItem[], memory: WaitMemory): WaitingItem[] {
	return saved.map((entry) => {
		const jobId = entry.jobId === undefined ? memory.recovered.get(entry.itemIndex) : undefined;
		return jobId === undefined ? entry : { ...entry, jobId, recovered: true };
	});
}

async function ownJob(
	context: IWebhookFunctions,
	saved: WaitingItem[],
	itemIndex: number,
	memory: WaitMemory,
	token: string,
): Promise<{ waiting: WaitingItem[]; own: WaitingItem } | undefined> {
	const ownOf = (waiting: WaitingItem[]) => waiting.find((entry) => entry.itemIndex === itemIndex && entry.jobId !== undefined);
	let waiting = withRecovered(saved, memory);
	if (!ownOf(waiting)) {
		// The item's job creation answer was lost, yet its signed URL was called: confirm the job with the API.
		const job = await confirmedLostJob(context, token, itemIndex);
		if (!job) return undefined;
		memory.recovered.set(itemIndex, job.id);
		waiting = withRecovered(saved, memory);
	}
	const own = ownOf(waiting);
	return own && { waiting, own };
}

export async function resumeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const executionId = this.getExecutionId();
	let token: string;
	try {
		token = await colossyanApiToken(this);
	} catch {
		return reply(this, 500, { message: 'The Colossyan credential of this node is not available' });
	}
	const call = verifiedResumeCall(this.getQueryData() as IDataObject, token, executionId, this.getNode().id);
	// The input is read only after the signature: a forged call learns nothing.
	const saved = call && readWaitingItems(this);
	if (!call || !saved || !saved.some((entry) => entry.itemIndex === call.itemIndex)) return reply(this, 401, { message: 'Unauthorized' });
	// Keyed by the jobs too: execution ids restart with a fresh n8n database, job ids do not.
	const key = [executionId, this.getNode().id, ...saved.map((entry) => entry.jobId ?? '')].join(' ');
	return await oneAtATime(key, async () => {
		const memory = memoryOf(key);
		if (memory.continuing) return reply(this, 200, { message: 'Received; the execution is already continuing' });
		const found = await ownJob(this, saved, call.itemIndex, memory, token);
		if (!found) return reply(this, 401, { message: 'Unauthorized' });
		const { waiting, own } = found;
		let check: Check;
		try {
			check = await checkJobs(this, waiting, own, memory);
		} catch {
			// Colossyan may send again; the execution keeps waiting (at worst until its timeout).
			return reply(this, 503, { message: 'Could not confirm the job with Colossyan; try again later' });
		}
		if (check === 'known already') return reply(this, 200, { message: 'Received already; waiting for the other jobs of this execution' });
		if (check === 'a job is running') return reply(this, 200, { message: 'Received; waiting for the other jobs of this execution' });
		memory.continuing = true;
		reply(this, 200, { message: 'Received; every job has ended, the execution continues' });
		return { workflowData: [await finalItems(this, waiting, memory.ended, call)], noWebhookResponse: true };
	});
}
