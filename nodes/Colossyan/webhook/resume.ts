/**
 * "Wait: Until Colossyan Calls Back", the webhook() side. n8n's waiting-webhook
 * server calls it for every request to the execution's resume URL while the
 * execution waits. n8n resumes an execution once, and only when webhook()
 * returns `workflowData`; any other answer leaves the saved execution waiting,
 * untouched. So a call:
 * - without this execution's signature: 401, nothing else (no API request);
 * - while a job is still running (checked with Colossyan, never taken from the
 *   callback body): acknowledged with 200, the execution keeps waiting;
 * - when Colossyan's API says every job has ended: answered 200, then the
 *   execution continues once with one item per input item.
 * A replayed call can only continue an execution whose jobs have all ended,
 * and only once: afterwards n8n answers 409 (the execution is running or finished).
 */
import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { getJob } from '../helpers/api';
import { jobState } from '../helpers/status';
import type { VideoJob } from '../helpers/types';
import type { WaitingItem } from './finalItems';
import { finalItems, waitingItemsOf } from './finalItems';
import { colossyanApiToken } from '../transport';
import { verifiedResumeCall } from './resumeUrl';

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
 * ones learn it here (n8n's own "already running" check covers the rest).
 */
const continuing = new Map<string, number>();
const queues = new Map<string, Promise<unknown>>();
const CONTINUING_MEMORY_MS = 60 * 60_000;

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
	const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
	queues.set(key, next);
	try {
		return await next;
	} finally {
		if (queues.get(key) === next) queues.delete(key);
	}
}

function markContinuing(key: string): void {
	const now = Date.now();
	for (const [id, at] of continuing) if (now - at > CONTINUING_MEMORY_MS) continuing.delete(id);
	continuing.set(key, now);
}

/**
 * The jobs' current states; stops at the first job still running (undefined
 * then). The called-back job comes first, then the ones created after it (jobs
 * created later tend to end later), wrapping round: an early callback usually
 * costs two requests, the last one a request per job.
 */
async function endedJobs(context: IWebhookFunctions, waiting: WaitingItem[], calledBack: number): Promise<Map<string, VideoJob> | undefined> {
	const start = Math.max(0, waiting.findIndex((entry) => entry.itemIndex === calledBack));
	const order = [...waiting.slice(start), ...waiting.slice(0, start)];
	const jobs = new Map<string, VideoJob>();
	for (const { jobId, itemIndex } of order) {
		if (jobId === undefined) continue;
		const job = await getJob(context, jobId, itemIndex);
		if (jobState(job.status) === 'running') return undefined;
		jobs.set(jobId, job);
	}
	return jobs;
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
	const waiting = call && waitingItemsOf(this.evaluateExpression('{{ $input.all() }}', 0));
	if (!call || !waiting?.some((entry) => entry.itemIndex === call.itemIndex && entry.jobId !== undefined)) {
		return reply(this, 401, { message: 'Unauthorized' });
	}
	// Keyed by the jobs too: execution ids restart with a fresh n8n database, job ids do not.
	const key = [executionId, ...waiting.map((entry) => entry.jobId ?? '')].join(' ');
	return await oneAtATime(key, async () => {
		if (continuing.has(key)) return reply(this, 200, { message: 'Received; the execution is already continuing' });
		let jobs: Map<string, VideoJob> | undefined;
		try {
			jobs = await endedJobs(this, waiting, call.itemIndex);
		} catch {
			// Colossyan may send again; the execution keeps waiting (at worst until its timeout).
			return reply(this, 503, { message: 'Could not confirm the job with Colossyan; try again later' });
		}
		if (!jobs) return reply(this, 200, { message: 'Received; waiting for the other jobs of this execution' });
		markContinuing(key);
		reply(this, 200, { message: 'Received; every job has ended, the execution continues' });
		return { workflowData: [await finalItems(this, waiting, jobs, call)], noWebhookResponse: true };
	});
}
