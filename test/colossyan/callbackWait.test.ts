/**
 * Generate, "Wait: Until Colossyan Calls Back", through n8n's engine: the
 * execution is paused and saved, the simulator's real callbacks reach a
 * stand-in for n8n's waiting-webhook endpoint (test/harness/waiting.ts), and
 * the execution resumes from its saved JSON only when every job has ended.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CALLBACK_TIMEOUT_MESSAGE } from '../../nodes/Colossyan/webhook/pause';
import { sha256 } from '../helpers/zip';
import { binaryBuffer } from '../harness/engine';
import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { avatarVideo, JOBS, TEMPLATE, TOKEN, useColossyan } from './fixture';
import { seededRandom } from '../helpers/seeded';

const VIDEO_BYTES = 50_000;
const col = useColossyan({ videoSizeBytes: VIDEO_BYTES, renderMs: 10 * 60_000 });
let n8n: WaitingServer;

beforeEach(async () => {
	n8n = await startWaitingServer();
});
afterEach(async () => await n8n.stop());

const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
const people = (...names: string[]): INodeExecutionData[] => names.map((name, item) => ({ json: { name }, pairedItem: { item } }));

type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

async function start(parameters: INodeParameters, input: INodeExecutionData[], continueOnFail: boolean | OnError = false) {
	const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
	const onError = typeof continueOnFail === 'string' ? { onError: continueOnFail } : { continueOnFail };
	return await n8n.start({ type: 'colossyan', parameters, ...onError }, input, credentials);
}

/** Ends the job now and waits until its real callback has been answered. */
async function render(jobId: string, outcome: 'finished' | 'failed' = 'finished') {
	col.sim.end(jobId, outcome);
	await col.sim.settleCallbacks();
	return col.sim.callbacks.at(-1)!;
}

const jobIdsOf = (items: INodeExecutionData[]) => items.map((item) => String(item.json.jobId));

describe('one item', () => {
	test('the execution waits (saved, nothing running) until the callback, then continues with the finished job and its video', async () => {
		const execution = await start({ ...callbackWait, downloadVideo: true }, people('Ada'));
		expect(execution.status).toBe('waiting');
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		const job = col.sim.job(jobId)!;
		// The job's callback is this execution's resume URL, for this node, signed.
		const callbackUrl = new URL(String(job.callbackUrl));
		expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(`${n8n.baseUrl}/webhook-waiting/${execution.id}/node-under-test`);
		expect(callbackUrl.searchParams.get('n8nSignature')).toMatch(/^[\w-]{43}$/);
		expect(col.sim.count('GET', `${JOBS}/${jobId}`)).toBe(1); // one look before pausing, no polling

		const delivery = await render(jobId);
		expect(delivery.status).toBe(200);
		const done = await n8n.settled(execution.id);
		expect(done).toMatchObject({ status: 'success', starts: 2 });
		const [item] = n8n.output(execution.id);
		expect(item.json).toMatchObject({ jobId, videoId: job.videoId, state: 'done', status: 'finished', progressPercent: 100 });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sha256(await binaryBuffer(item.binary?.data))).toBe(sha256(videoBuffer(videoSeed(job.videoId), VIDEO_BYTES)));
	});

	test('a template job gets the resume URL as callbackUrl', async () => {
		const execution = await start(
			{ resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: TEMPLATE, waitForCompletion: true, waitMethod: 'callback' },
			people('Ada'),
		);
		const [body] = col.sim.matching('POST', `${JOBS}/template-jobs`).map((request) => request.body as Record<string, unknown>);
		expect(String(body.callbackUrl)).toContain(`/webhook-waiting/${execution.id}/`);
		expect(body.callback).toBeUndefined();
		await render(jobIdsOf(n8n.output(execution.id))[0]);
		expect((await n8n.settled(execution.id)).status).toBe('success');
	});

	test('a callback whose body says "finished" while the API says running resumes nothing', async () => {
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		const response = await fetch(String(col.sim.job(jobId)!.callbackUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'finished', url: 'https://evil.example/x.mp4' }),
		});
		expect(response.status).toBe(200);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
	});
});

describe('several items', () => {
	test('callbacks in any order (failed jobs calling back too): the early ones are acknowledged, the last one continues the execution once with every item', async () => {
		col.sim.callbackOn = 'end';
		const execution = await start({ ...callbackWait, downloadVideo: true }, people('Ada', 'Grace', 'Linus'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		expect(jobIds).toHaveLength(3);
		for (const index of [2, 0]) {
			expect((await render(jobIds[index])).status).toBe(200);
			expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
		}
		await render(jobIds[1], 'failed');
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		const items = n8n.output(execution.id);
		expect(items.map((item) => [item.json.jobId, item.json.state, item.pairedItem])).toEqual([
			[jobIds[0], 'done', { item: 0 }],
			[jobIds[1], 'failed', { item: 1 }],
			[jobIds[2], 'done', { item: 2 }],
		]);
		expect(items.map((item) => Boolean(item.binary?.data))).toEqual([true, false, true]);
		expect(n8n.calls.filter((call) => call.resumed)).toHaveLength(1);
	});

	test('two last callbacks arriving together continue the execution once', async () => {
		const execution = await start(callbackWait, people('Ada', 'Grace'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		for (const jobId of jobIds) col.sim.end(jobId);
		await col.sim.settleCallbacks();
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(n8n.calls.filter((call) => call.resumed)).toHaveLength(1);
		expect(col.sim.callbacks.map((delivery) => delivery.status).sort()).toEqual([200, 200]);
	});

	test('an item that fails before its job (Continue On Fail) waits along and comes out in its place', async () => {
		const execution = await start({ ...callbackWait, script: '={{ $json.name }}' }, people('Ada', '', 'Linus'), true);
		const waiting = n8n.output(execution.id);
		expect(waiting.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(waiting[1].json.error).toMatch(/Script is empty/);
		for (const jobId of [waiting[0], waiting[2]].map((item) => String(item.json.jobId))) await render(jobId);
		await n8n.settled(execution.id);
		expect(n8n.output(execution.id).map((item) => item.json.state ?? item.json.error)).toEqual(['done', expect.stringMatching(/Script is empty/), 'done']);
	});
});

describe('forged and replayed calls', () => {
	test('calls without this execution\'s signature get 401, make no API request and resume nothing', async () => {
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		// The job really ends, but its own callback is held back: the only calls are forged.
		col.sim.job(jobId)!.callbackSent = true;
		col.sim.end(jobId);
		const real = new URL(String(col.sim.job(jobId)!.callbackUrl));
		const tampered = new URL(real);
		tampered.searchParams.set('download', '1');
		const otherItem = new URL(real);
		otherItem.searchParams.set('item', '1');
		const unsigned = new URL(`${real.origin}${real.pathname}`);
		const reads = col.sim.count('GET', `${JOBS}/${jobId}`);
		const statuses = [];
		for (const url of [unsigned, tampered, otherItem]) {
			statuses.push((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":"finished"}' })).status);
		}
		expect(statuses).toEqual([401, 401, 401]);
		expect(col.sim.count('GET', `${JOBS}/${jobId}`)).toBe(reads);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
	});

	test("another execution's valid callback URL does not fit this one", async () => {
		const first = await start(callbackWait, people('Ada'));
		const second = await start(callbackWait, people('Grace'));
		const [firstJob] = jobIdsOf(n8n.output(first.id));
		col.sim.job(firstJob)!.callbackSent = true;
		col.sim.end(firstJob);
		const url = new URL(String(col.sim.job(firstJob)!.callbackUrl));
		url.pathname = url.pathname.replace(`/${first.id}/`, `/${second.id}/`);
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(response.status).toBe(401);
		expect(n8n.executions.get(second.id)).toMatchObject({ status: 'waiting', starts: 1 });
	});

	test('a replayed callback after the continuation is refused (409) and starts nothing', async () => {
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		const delivery = await render(jobId);
		await n8n.settled(execution.id);
		const replay = await fetch(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery.body) });
		expect(replay.status).toBe(409);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'success', starts: 2 });
	});
});

describe('timeout and failures', () => {
	test('at the timeout the execution continues with every job as it was when the wait began, saying so', async () => {
		const execution = await start(callbackWait, people('Ada', 'Grace'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		expect(new Date(String(execution.waitTill)).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
		await n8n.timeOut(execution.id);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		const items = n8n.output(execution.id);
		expect(items.map((item) => [item.json.jobId, item.json.state, item.pairedItem])).toEqual([
			[jobIds[0], 'running', { item: 0 }],
			[jobIds[1], 'running', { item: 1 }],
		]);
		for (const item of items) expect(item.json.message).toBe(CALLBACK_TIMEOUT_MESSAGE);
		expect(CALLBACK_TIMEOUT_MESSAGE).toMatch(/^Still running when the wait timed out, or ended without n8n learning it: this is the job as it was when the wait began/);
	});

	test('Colossyan unreachable while confirming: 503, the execution keeps waiting and the next callback continues it', async () => {
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		col.sim.inject({ method: 'GET', path: `${JOBS}/${jobId}`, times: 20, fault: { kind: 'status', status: 500 } });
		expect((await render(jobId)).status).toBe(503);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
		col.sim.faults.clear();
		const delivery = col.sim.callbacks.at(-1)!;
		const retry = await fetch(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery.body) });
		expect(retry.status).toBe(200);
		expect((await n8n.settled(execution.id)).status).toBe('success');
	});

	test('jobs that have all ended before the pause are output at once, without waiting', async () => {
		col.sim.renderMs = 0;
		const execution = await start(callbackWait, people('Ada'));
		expect(execution).toMatchObject({ status: 'success', starts: 1 });
		expect(n8n.output(execution.id)[0].json.state).toBe('done');
	});
});

/** Ends the job now; resolves once the callbacks it causes (none for a failure, by default) are answered. */
async function endJob(jobId: string, outcome: 'finished' | 'failed' = 'finished') {
	col.sim.end(jobId, outcome);
	await col.sim.settleCallbacks();
}

const JOB_READS = new RegExp(`^${JOBS}/[^/]+$`);
const statusReads = () => col.sim.count('GET', JOB_READS);
const stateOf = (items: INodeExecutionData[]) => items.map((item) => [item.json.jobId, item.json.state]);

describe('failed jobs that never call back (Colossyan calls back only when a job succeeds)', () => {
	test('by default the simulator calls back for a finished job only', async () => {
		const execution = await start(callbackWait, people('Ada', 'Grace'));
		const [failed, finished] = jobIdsOf(n8n.output(execution.id));
		await endJob(failed, 'failed');
		expect(col.sim.callbacks).toHaveLength(0);
		await endJob(finished);
		expect(col.sim.callbacks.map((delivery) => delivery.url)).toEqual([String(col.sim.job(finished)!.callbackUrl)]);
	});

	test('a failed job that ends first is found by the next callback: the execution continues with it as failed', async () => {
		const execution = await start(callbackWait, people('Ada', 'Grace', 'Linus'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		await endJob(jobIds[0], 'failed');
		await endJob(jobIds[2]);
		await endJob(jobIds[1]);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(stateOf(n8n.output(execution.id))).toEqual([
			[jobIds[0], 'failed'],
			[jobIds[1], 'done'],
			[jobIds[2], 'done'],
		]);
	});

	test('a failed job that ends last: nothing calls back, the wait runs to its timeout and every job says what is known', async () => {
		const execution = await start(callbackWait, people('Ada', 'Grace', 'Linus'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		await endJob(jobIds[0]);
		await endJob(jobIds[1]);
		await endJob(jobIds[2], 'failed');
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
		await n8n.timeOut(execution.id);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		const items = n8n.output(execution.id);
		expect(items.map((item) => [item.json.jobId, item.json.state, item.json.message])).toEqual(
			jobIds.map((jobId) => [jobId, 'running', CALLBACK_TIMEOUT_MESSAGE]),
		);
	});

	test('the same job, when Colossyan does call back on failure: the execution continues at once with it as failed', async () => {
		col.sim.callbackOn = 'end';
		const execution = await start(callbackWait, people('Ada', 'Grace'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		await endJob(jobIds[0]);
		await endJob(jobIds[1], 'failed');
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(stateOf(n8n.output(execution.id))).toEqual([
			[jobIds[0], 'done'],
			[jobIds[1], 'failed'],
		]);
	});

	test('a callback URL without its query string (if Colossyan dropped it) is refused and resumes nothing', async () => {
		col.sim.dropCallbackQuery = true;
		const execution = await start(callbackWait, people('Ada'));
		await endJob(jobIdsOf(n8n.output(execution.id))[0]);
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([401]);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
	});

	test('a retried callback (if Colossyan retried after a 503) continues the execution', async () => {
		col.sim.callbackRetries = 2;
		const execution = await start(callbackWait, people('Ada'));
		const [jobId] = jobIdsOf(n8n.output(execution.id));
		col.sim.inject({ method: 'GET', path: `${JOBS}/${jobId}`, times: 1, fault: { kind: 'status', status: 500 } });
		await endJob(jobId);
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([503, 200]);
		expect((await n8n.settled(execution.id)).status).toBe('success');
	});
});

describe('bounded cost: each job is read at most once after it has ended, each callback reads at most one running job', () => {
	const JOB_COUNT = 200;
	/** Before the pause: one read (the first job is running); then at most 2 per job. */
	const BOUND = 1 + 2 * JOB_COUNT;

	async function waitFor(count: number) {
		const execution = await start(callbackWait, Array.from({ length: count }, (_v, item) => ({ json: { name: `P${item}` }, pairedItem: { item } })));
		expect(execution.status).toBe('waiting');
		return { execution, jobIds: jobIdsOf(n8n.output(execution.id)) };
	}

	async function replay(times: number) {
		const delivery = col.sim.callbacks.at(-1)!;
		for (let i = 0; i < times; i++) {
			const response = await fetch(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery.body) });
			expect(response.status).toBe(200);
		}
	}

	test.each([
		['reverse order', (ids: string[]) => [...ids].reverse()],
		['random order', (ids: string[]) => shuffled(ids, seededRandom(2024))],
		['creation order', (ids: string[]) => ids],
	])(`${JOB_COUNT} jobs ending in %s, each callback replayed 3 times: at most 1 + 2 reads per job`, async (_name, order) => {
		const { execution, jobIds } = await waitFor(JOB_COUNT);
		for (const [index, jobId] of order(jobIds).entries()) {
			await endJob(jobId);
			if (index < JOB_COUNT - 1) await replay(3);
		}
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(n8n.output(execution.id).every((item) => item.json.state === 'done')).toBe(true);
		expect(statusReads()).toBeLessThanOrEqual(BOUND);
	});

	test('an early callback replayed 100 times reads nothing more', async () => {
		const { execution, jobIds } = await waitFor(3);
		await endJob(jobIds[0]);
		const reads = statusReads();
		await replay(100);
		expect(statusReads()).toBe(reads);
		expect(n8n.executions.get(execution.id)).toMatchObject({ status: 'waiting', starts: 1 });
	});

	test('a replay after a check that could not finish (Colossyan unreachable) checks again, and finds a silent failure', async () => {
		const { execution, jobIds } = await waitFor(2);
		col.sim.inject({ method: 'GET', path: `${JOBS}/${jobIds[1]}`, times: 1, fault: { kind: 'status', status: 500 } });
		await endJob(jobIds[0]);
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([503]);
		await endJob(jobIds[1], 'failed');
		const delivery = col.sim.callbacks[0];
		const again = await fetch(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery.body) });
		expect(again.status).toBe(200);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(stateOf(n8n.output(execution.id))).toEqual([
			[jobIds[0], 'done'],
			[jobIds[1], 'failed'],
		]);
	});

	test('silent failures among 200 jobs, in random order: still within the bound, each failure reported', async () => {
		const { execution, jobIds } = await waitFor(JOB_COUNT);
		const random = seededRandom(77);
		const ending = shuffled(jobIds, random);
		// The last to end succeeds (else nothing calls back and the wait runs to its timeout).
		const failing = new Set(ending.slice(0, -1).filter(() => random() < 0.3));
		for (const jobId of ending) await endJob(jobId, failing.has(jobId) ? 'failed' : 'finished');
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		expect(stateOf(n8n.output(execution.id))).toEqual(jobIds.map((jobId) => [jobId, failing.has(jobId) ? 'failed' : 'done']));
		expect(statusReads()).toBeLessThanOrEqual(BOUND);
	});
});

describe('a download that fails in the continuation', () => {
	beforeEach(() => col.sim.files.inject({ method: 'GET', times: 1000, fault: { kind: 'status', status: 500 } }));

	test('without Continue On Fail the execution fails, its error naming every job', async () => {
		const execution = await start({ ...callbackWait, downloadVideo: true }, people('Ada', 'Grace'));
		const jobIds = jobIdsOf(n8n.output(execution.id));
		for (const jobId of jobIds) await endJob(jobId);
		expect((await n8n.settled(execution.id)).status).toBe('error');
		const message = String(n8n.runData(execution.id).resultData.error?.message);
		expect(message).toMatch(/^The video of item 0 could not be downloaded: /);
		for (const [item, jobId] of jobIds.entries()) expect(message).toContain(`item ${item}: job ${jobId}`);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)('with %s each job comes out with its id and the error', async (onError) => {
		const execution = await start({ ...callbackWait, downloadVideo: true }, people('Ada', 'Grace'), onError);
		const jobIds = jobIdsOf(n8n.output(execution.id));
		for (const jobId of jobIds) await endJob(jobId);
		expect(await n8n.settled(execution.id)).toMatchObject({ status: 'success', starts: 2 });
		const [success, errors = []] = n8n.outputs(execution.id);
		const failed = onError === 'continueErrorOutput' ? errors : success;
		expect(onError === 'continueErrorOutput' ? success : errors).toHaveLength(0);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of failed.entries()) expect(String(item.json.error)).toMatch(new RegExp(`^Job ${jobIds[index]} was created \\(paid, not lost\\)`));
	});
});

describe('property: every On Error setting × job outcomes (seeded)', () => {
	type Outcome = 'finished' | 'failed' | 'never';
	const MODES: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];
	const TRIALS = 30;

	test(`${TRIALS} random waits: every created job id comes out; states are the real ones, or the timeout says what is known`, async () => {
		for (let trial = 0; trial < TRIALS; trial++) {
			const random = seededRandom(1000 + trial);
			const mode = MODES[trial % MODES.length];
			col.sim.callbackOn = random() < 0.5 ? 'success' : 'end';
			const count = 1 + Math.floor(random() * 5);
			// An empty script fails its item before any job; under "stop" it would stop the node before any job is paid for.
			const names = Array.from({ length: count }, (_v, index) => (mode !== 'stopWorkflow' && index > 0 && random() < 0.25 ? '' : `P${index}`));
			const before = col.sim.allJobs().length;
			const execution = await start({ ...callbackWait, script: '={{ $json.name }}' }, people(...names), mode);
			const context = `trial ${trial} (${mode}, callbacks on ${col.sim.callbackOn}, names ${JSON.stringify(names)})`;
			expect([context, execution.status]).toEqual([context, 'waiting']);
			const created = col.sim.allJobs().slice(before);
			const outcomes = new Map<string, Outcome>(created.map((job) => [job.id, pick(random, ['finished', 'failed', 'never'] as const)]));
			const ending = shuffled(created.filter((job) => outcomes.get(job.id) !== 'never'), random);
			for (const job of ending) await endJob(job.id, outcomes.get(job.id) as 'finished' | 'failed');
			const last = ending.at(-1);
			const continuesByCallback =
				ending.length === created.length && last !== undefined && (outcomes.get(last.id) === 'finished' || col.sim.callbackOn === 'end');
			expect([context, n8n.executions.get(execution.id)?.status]).toEqual([context, continuesByCallback ? 'success' : 'waiting']);
			if (!continuesByCallback) await n8n.timeOut(execution.id);
			expect([context, (await n8n.settled(execution.id)).status]).toEqual([context, 'success']);

			const outputs = n8n.outputs(execution.id).flat();
			for (const job of created) {
				const item = outputs.find((candidate) => candidate.json.jobId === job.id);
				const real = outcomes.get(job.id) === 'finished' ? 'done' : outcomes.get(job.id) === 'failed' ? 'failed' : 'running';
				const expected = continuesByCallback ? [job.id, real, undefined] : [job.id, 'running', CALLBACK_TIMEOUT_MESSAGE];
				expect([context, item?.json.jobId, item?.json.state, item?.json.message]).toEqual([context, ...expected]);
			}
			const failedItems = names.flatMap((name, index) => (name === '' ? [index] : []));
			const errorItems = mode === 'continueErrorOutput' ? (n8n.outputs(execution.id)[1] ?? []) : outputs.filter((item) => item.json.error !== undefined);
			expect([context, errorItems.map((item) => item.pairedItem)]).toEqual([context, failedItems.map((item) => ({ item }))]);
			expect([context, outputs.length]).toEqual([context, count]);
		}
	});
});

function shuffled<T>(values: T[], random: () => number): T[] {
	const copy = [...values];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}

function pick<T>(random: () => number, values: readonly T[]): T {
	return values[Math.floor(random() * values.length)];
}
