/**
 * Generate with "Wait: Until Colossyan Calls Back" inside a real n8n: the
 * execution is saved as waiting while the simulator renders, the simulator's
 * real callbacks reach n8n's waiting-webhook endpoint, and n8n continues the
 * execution once every job has ended; it survives a restart of n8n, ignores
 * forged calls and continues at its timeout. Two definers: realN8n.e2e.ts runs
 * the restart after the tests that must not see n8n go down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { client } from '../../helpers/http';
import { sha256 } from '../../helpers/zip';
import { videoBuffer } from '../../simulators/common/videoBytes';
import { videoSeed } from '../../simulators/colossyan/ColossyanSimulator';
import { VIDEO_BYTES } from '../../../scripts/n8n/services';
import type { Stack } from '../../../scripts/n8n/stack';
import { eventually } from './common';

const WORKFLOW = 'rpcCallbackWait1';
const PATH = 'colossyan-callback-wait-test';
const NODE = 'Create avatar video';

/** Webhook (names, timeout) -> one item per name -> Generate, waiting for Colossyan's callback, video attached. */
const workflow = {
	id: WORKFLOW,
	name: 'e2e: Generate waits for Colossyan to call back',
	nodes: [
		{
			parameters: { httpMethod: 'POST', path: PATH, responseMode: 'onReceived', options: {} },
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			id: 'webhook',
			webhookId: 'b7f0c1de-5a7e-4c3e-9a53-6f3d2b1c0a11',
		},
		{
			parameters: { jsCode: 'const { names, timeoutMinutes } = $input.first().json.body;\nreturn names.map((name) => ({ json: { name, timeoutMinutes } }));' },
			name: 'One item per name',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			id: 'names',
		},
		{
			parameters: {
				resource: 'job',
				operation: 'generate',
				generateMode: 'avatar',
				avatar: 'karen',
				voice: 'voice-karen-en',
				script: '=Hello {{ $json.name }}!',
				videoName: '=Welcome {{ $json.name }}',
				waitForCompletion: true,
				waitMethod: 'callback',
				waitTimeoutMinutes: '={{ $json.timeoutMinutes }}',
				downloadVideo: true,
				options: {},
			},
			name: NODE,
			type: 'n8n-nodes-rotateproduct-colossyan.colossyan',
			typeVersion: 1,
			position: [440, 0],
			id: 'create-avatar-video',
			credentials: { colossyanApi: { id: 'colExampleCred01', name: 'Colossyan account' } },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'One item per name', type: 'main', index: 0 }]] },
		'One item per name': { main: [[{ node: NODE, type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveManualExecutions: true },
	active: false,
};

/** The workflows this case adds to the stack (active: its Webhook starts it). */
export const callbackWaitWorkflows = [{ id: WORKFLOW, workflow }];

/**
 * Colossyan renders last until a test ends them (sims.colossyan.end), for the
 * tests of the describe this is called in; the render time before is restored after.
 */
function rendersUntilEnded(stack: () => Stack): void {
	let renderMs: number | undefined;
	beforeAll(() => {
		renderMs = stack().sims.colossyan.renderMs;
		stack().sims.colossyan.renderMs = 60 * 60_000;
	});
	afterAll(() => {
		if (renderMs !== undefined) stack().sims.colossyan.renderMs = renderMs;
	});
}

type SavedItem = { json: Record<string, unknown>; binary?: Record<string, { mimeType?: string }>; pairedItem?: unknown };

function waitingExecutions(stack: () => Stack) {
	/** The jobs whose callback is this execution's resume URL, in item order. */
	const jobsOf = (id: string): string[] =>
		stack()
			.sims.colossyan.allJobs()
			.filter((job) => String(job.callbackUrl).includes(`/webhook-waiting/${id}/`))
			.sort((a, b) => Number(new URL(String(a.callbackUrl)).searchParams.get('item')) - Number(new URL(String(b.callbackUrl)).searchParams.get('item')))
			.map((job) => job.id);

	const status = async (id: string, workflowId = WORKFLOW) => (await stack().n8n.executions(workflowId)).find((execution) => execution.id === id)?.status;

	/** Starts the workflow; resolves with the execution once n8n has saved it as waiting, and its jobs. */
	async function startWaiting(names: string[], timeoutMinutes = 30): Promise<{ id: string; jobs: string[] }> {
		const { n8n, sims } = stack();
		const before = new Set((await n8n.executions(WORKFLOW)).map((execution) => execution.id));
		const jobsBefore = sims.colossyan.count('POST', '/api/v1/video-generation-jobs');
		// n8n 2.x may register an active workflow's webhook a little after it says it is ready (404 until then).
		const response = await eventually(
			'the test webhook',
			async () => {
				const answer = await client.post(`${n8n.baseUrl}/webhook/${PATH}`, { names, timeoutMinutes });
				return answer.status !== 404 && answer;
			},
			30_000,
		);
		expect(response.status).toBe(200);
		const execution = await eventually(
			'a waiting execution',
			async () => (await n8n.executions(WORKFLOW)).find((e) => !before.has(e.id) && e.status === 'waiting'),
			60_000,
		);
		const created = sims.colossyan.matching('POST', '/api/v1/video-generation-jobs').slice(jobsBefore);
		expect(created).toHaveLength(names.length);
		return { id: execution.id, jobs: jobsOf(execution.id) };
	}

	async function finished(id: string): Promise<SavedItem[]> {
		await eventually('the execution to end', async () => ['success', 'error', 'crashed'].includes(String(await status(id))), 90_000);
		expect(await status(id)).toBe('success');
		const data = await stack().n8n.executionData(id);
		return (data.resultData.runData[NODE]?.at(-1)?.data?.main?.[0] ?? []) as never;
	}

	return { jobsOf, status, startWaiting, finished };
}

/** Everything but the restart (callbackWaitRestartTests). */
export function callbackWaitTests(stack: () => Stack): void {
	rendersUntilEnded(stack);
	const { jobsOf, status, startWaiting, finished } = waitingExecutions(stack);

	test('one item: waiting in n8n while Colossyan renders, then success with the finished job and its video', async () => {
		const { n8n, sims } = stack();
		const { id, jobs } = await startWaiting(['Ada']);
		const callbackUrl = String(sims.colossyan.job(jobs[0])?.callbackUrl);
		expect(callbackUrl.startsWith(`${n8n.baseUrl}/webhook-waiting/${id}/create-avatar-video?`)).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(await status(id)).toBe('waiting');
		sims.colossyan.end(jobs[0]);
		const [item] = await finished(id);
		expect(item.json).toMatchObject({ jobId: jobs[0], state: 'done', status: 'finished', progressPercent: 100 });
		expect(item.binary?.data?.mimeType).toBe('video/mp4');
		expect(sims.colossyan.callbacks.find((delivery) => delivery.url === callbackUrl)?.status).toBe(200);
	});

	test('a forged call to the resume URL resumes nothing', async () => {
		const { sims } = stack();
		const { id, jobs } = await startWaiting(['Eve']);
		const job = sims.colossyan.job(jobs[0])!;
		// The job really ends, but its callback is held back: the only calls n8n gets are forged.
		job.callbackSent = true;
		sims.colossyan.end(job.id);
		const real = new URL(String(job.callbackUrl));
		const unsigned = `${real.origin}${real.pathname}`;
		const tampered = new URL(real);
		tampered.searchParams.set('download', '0');
		const statuses = [];
		for (const url of [unsigned, tampered.toString(), `${real.origin}/webhook-waiting/${id}`]) {
			statuses.push((await client.post(url, { status: 'finished', url: 'https://evil.example/x.mp4' })).status);
		}
		expect(statuses.slice(0, 2)).toEqual([401, 401]);
		expect(statuses[2]).toBeGreaterThanOrEqual(400);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await status(id)).toBe('waiting');
		// The real callback still continues it.
		expect((await client.post(real.toString(), { status: 'finished' })).status).toBe(200);
		expect((await finished(id))[0].json.state).toBe('done');
	});

	test('three items, callbacks in any order: one continuation with three items', async () => {
		const { n8n, sims } = stack();
		const { id, jobs } = await startWaiting(['Grace', 'Linus', 'Ada']);
		for (const index of [1, 2]) {
			sims.colossyan.end(jobs[index]);
			await sims.colossyan.settleCallbacks();
			expect(await status(id)).toBe('waiting');
		}
		sims.colossyan.end(jobs[0]);
		const items = await finished(id);
		expect(items.map((item) => [item.json.jobId, item.json.state, item.pairedItem])).toEqual(jobs.map((jobId, item) => [jobId, 'done', { item }]));
		expect(items.every((item) => item.binary?.data?.mimeType === 'video/mp4')).toBe(true);
		expect((await n8n.executions(WORKFLOW)).filter((execution) => execution.id === id)).toHaveLength(1);
	});

	test('at the timeout the execution continues with the job marked running', async () => {
		const { id, jobs } = await startWaiting(['Slow'], 1);
		const items = await finished(id);
		expect(items.map((item) => [item.json.jobId, item.json.state])).toEqual([[jobs[0], 'running']]);
		expect(String(items[0].json.message)).toMatch(/Still running when the wait timed out/);
	}, 240_000);

	test('(6) example: a form entry -> avatar video, waiting for the callback -> the video file on disk', async () => {
		const { n8n, sims, out } = stack();
		const form = new FormData();
		form.append('field-0', 'Ada');
		form.append('field-1', 'Research');
		const response = await eventually(
			'the form',
			async () => {
				const answer = await fetch(`${n8n.baseUrl}/form/colossyan-welcome-form`, { method: 'POST', body: form });
				return answer.status !== 404 && answer;
			},
			30_000,
		);
		expect(response.status).toBe(200);
		const execution = await eventually('the example waiting', async () => (await n8n.executions('rpcExample06')).find((e) => e.status === 'waiting'), 60_000);
		const [jobId] = jobsOf(execution.id);
		const job = sims.colossyan.job(jobId)!;
		expect(String((job.request.videoCreative as { scenes: Array<{ tracks: Array<{ text?: string }> }> }).scenes[0].tracks.at(-1)?.text)).toBe('Hi Ada, welcome to the Research team!');
		sims.colossyan.end(jobId);
		const file = join(out, 'form', `${jobId}.mp4`);
		await eventually('the video file', async () => existsSync(file) && readFileSync(file).length === VIDEO_BYTES, 90_000);
		expect(sha256(readFileSync(file))).toBe(sha256(videoBuffer(videoSeed(job.videoId), VIDEO_BYTES)));
		await eventually('the example to succeed', async () => (await status(execution.id, 'rpcExample06')) === 'success', 30_000);
	});
}

/** n8n restarted while an execution waits: run after the tests that must not see n8n go down. */
export function callbackWaitRestartTests(stack: () => Stack): void {
	rendersUntilEnded(stack);
	const { status, startWaiting, finished } = waitingExecutions(stack);

	test('n8n stopped and started again while the execution waits: it still resumes', async () => {
		const { n8n, sims } = stack();
		const { id, jobs } = await startWaiting(['Ada']);
		await n8n.restart();
		expect(await status(id)).toBe('waiting');
		sims.colossyan.end(jobs[0]);
		expect((await finished(id))[0].json).toMatchObject({ jobId: jobs[0], state: 'done' });
	});
}
