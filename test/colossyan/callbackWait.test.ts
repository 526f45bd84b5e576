/**
 * Generate, "Wait: Until Colossyan Calls Back", through n8n's engine: the
 * execution is paused and saved, the simulator's real callbacks reach a
 * stand-in for n8n's waiting-webhook endpoint (test/harness/waiting.ts), and
 * the execution resumes from its saved JSON only when every job has ended.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { sha256 } from '../helpers/zip';
import { binaryBuffer } from '../harness/engine';
import type { WaitingServer } from '../harness/waiting';
import { startWaitingServer } from '../harness/waiting';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { avatarVideo, JOBS, TEMPLATE, TOKEN, useColossyan } from './fixture';

const VIDEO_BYTES = 50_000;
const col = useColossyan({ videoSizeBytes: VIDEO_BYTES, renderMs: 10 * 60_000 });
let n8n: WaitingServer;

beforeEach(async () => {
	n8n = await startWaitingServer();
});
afterEach(async () => await n8n.stop());

const callbackWait: INodeParameters = { ...avatarVideo, waitForCompletion: true, waitMethod: 'callback', waitTimeoutMinutes: 30 };
const people = (...names: string[]): INodeExecutionData[] => names.map((name, item) => ({ json: { name }, pairedItem: { item } }));

async function start(parameters: INodeParameters, input: INodeExecutionData[], continueOnFail = false) {
	const credentials = { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } };
	return await n8n.start({ type: 'colossyan', parameters, continueOnFail }, input, credentials);
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
	test('callbacks in any order: the early ones are acknowledged, the last one continues the execution once with every item', async () => {
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
	test('at the timeout the execution continues with every job marked running and the usual message', async () => {
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
		expect(items[0].json.message).toMatch(/Still running when the wait timed out/);
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
