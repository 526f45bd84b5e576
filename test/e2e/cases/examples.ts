/**
 * The shipped example workflows inside a real n8n: run against the simulators,
 * their real outcomes checked on disk, in n8n's database and in the simulators'
 * request logs. Four definers, because realN8n.e2e.ts interleaves them with the
 * other cases on one n8n: example 2's polling trigger works while those run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AxiosResponse } from 'axios';

import { client } from '../../helpers/http';
import { readZip, sha256 } from '../../helpers/zip';
import { videoBuffer } from '../../simulators/common/videoBytes';
import { videoSeed as colossyanSeed } from '../../simulators/colossyan/ColossyanSimulator';
import { videoSeed as rotateProductSeed } from '../../simulators/rotateproduct/RotateProductSimulator';
import { RP_KEY, VIDEO_BYTES } from '../../../scripts/n8n/services';
import type { Stack } from '../../../scripts/n8n/stack';
import { eventually } from './common';

const POLL_INTERVAL_MS = 60_000;

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
const rpBytes = (id: number) => sha256(videoBuffer(rotateProductSeed(id), VIDEO_BYTES));
const colBytes = (videoId: string) => sha256(videoBuffer(colossyanSeed(videoId), VIDEO_BYTES));
/** The videos the polling trigger saved of the generations example 2's test created. */
const pollFiles = (dir: string) => filesIn(dir).filter((name) => /^\d+-poll-/.test(name));

/**
 * n8n started with the package, then example 1, whose generations must be the
 * RotateProduct simulator's first (ids from 4980). `alsoActive`: the workflows
 * other cases had activated beside the examples.
 */
export function exampleStartTests(stack: () => Stack, alsoActive: string[]): void {
	test('n8n loaded the package: the trigger and form workflows are active, none failed to activate', async () => {
		const { n8n } = stack();
		expect((await n8n.activeWorkflowIds()).sort()).toEqual(['rpcExample02', 'rpcExample04', 'rpcExample06', ...alsoActive].sort());
		expect(n8n.logOf('start')).not.toMatch(/did fail with error|failed with the error|Unrecognized node type/);
	});

	test('(1) product list -> Generate (wait) -> Download Zip -> a zip with the right mp4s on disk', async () => {
		const { n8n, sims, out } = stack();
		await n8n.execute('rpcExample01');
		const [zipFile] = filesIn(join(out, 'zip'));
		// The package names the zip (date-time and count), never the server's generations-<ms>.zip.
		expect(zipFile).toMatch(/^rotateproduct-\d{4}-\d{2}-\d{2}T\d{6}-5-videos\.zip$/);
		const entries = await readZip(readFileSync(join(out, 'zip', zipFile)));
		expect(entries.map((entry) => entry.name).sort()).toEqual(['chair-01.mp4', 'lamp-oak.mp4', 'mug-blue.mp4', 'mug-red.mp4', 'vase_tall.mp4']);
		const created = sims.rotateProduct.matching('POST', '/api/v1/generations');
		expect(created).toHaveLength(1); // 5 products, one bulk request
		const byName = new Map(entries.map((entry) => [entry.name, entry.sha256]));
		for (let id = 4980; id < 4985; id++) {
			const generation = sims.rotateProduct.generation(id);
			expect(byName.get(`${String(generation?.externalId).replace(/[^a-zA-Z0-9_-]/g, '_')}.mp4`)).toBe(rpBytes(id));
		}
	});
}

/** Examples 3 to 5: the Colossyan simulator's first jobs and callbacks, at its normal render time. */
export function exampleColossyanTests(stack: () => Stack): void {
	test('(3)+(4) Colossyan Generate with the trigger as Callback URL -> the real callback hits n8n -> video on disk', async () => {
		const { n8n, sims, out } = stack();
		const before = await n8n.executionCount('rpcExample04');
		await n8n.execute('rpcExample03');
		const [delivery] = await eventually('the callback', () => sims.colossyan.callbacks.length > 0 && sims.colossyan.callbacks, 60_000);
		await eventually('the callback answer', () => delivery.status !== 'error' || undefined, 30_000);
		expect(delivery.url.startsWith(`${n8n.baseUrl}/webhook/colossyan-callback-example/webhook?n8nNonce=`)).toBe(true);
		expect(delivery.status).toBe(200);
		const [file] = await eventually('the saved video', () => filesIn(join(out, 'colossyan')).length > 0 && filesIn(join(out, 'colossyan')), 60_000);
		expect(file).toMatch(/^\d+-video-vid_\w+\.mp4$/);
		const videoId = String(delivery.body.url).split('/').pop()?.replace('.mp4', '') ?? '';
		await eventually('the file to be complete', () => readFileSync(join(out, 'colossyan', file)).length === VIDEO_BYTES, 10_000);
		expect(sha256(readFileSync(join(out, 'colossyan', file)))).toBe(colBytes(videoId));
		expect(await n8n.executionCount('rpcExample04')).toBe(before + 1);
	});

	test('(4) a forged callback gets 401 and creates no execution', async () => {
		const { n8n, sims } = stack();
		const before = await n8n.executionCount('rpcExample04');
		const url = `${n8n.baseUrl}/webhook/colossyan-callback-example/webhook`;
		const forged = await client.post(url, { status: 'finished', url: `${sims.colossyan.files.baseUrl}/videos/x.mp4` });
		const wrongSignature = await client.post(`${url}?n8nNonce=AAAAAAAAAAAAAAAAAAAAAA&n8nSignature=forged`, { status: 'finished' });
		expect([forged.status, wrongSignature.status]).toEqual([401, 401]);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await n8n.executionCount('rpcExample04')).toBe(before);
	});

	test('(5) a template video per form entry, waiting for completion, written to disk', async () => {
		const { n8n, sims, out } = stack();
		await n8n.execute('rpcExample05');
		const requests = sims.colossyan.matching('POST', '/api/v1/video-generation-jobs/template-jobs');
		expect(requests.map((request) => (request.body as { dynamicVariables: { name: string } }).dynamicVariables.name)).toEqual(['Grace', 'Linus']);
		const jobs = [...Array(10).keys()].map((n) => sims.colossyan.job(`job_${n.toString(36).padStart(6, '0')}`)).filter((job) => job?.kind === 'template');
		expect(filesIn(join(out, 'template'))).toEqual(jobs.map((job) => `${String(job?.id)}.mp4`).sort());
		for (const job of jobs) expect(sha256(readFileSync(join(out, 'template', `${String(job?.id)}.mp4`)))).toBe(colBytes(String(job?.videoId)));
	});
}

/** What example 2's test started: when, the service's answer, and when its three videos were first all on disk. */
interface PollingWork {
	started: number;
	response: AxiosResponse;
	/** Date.now() when the three were first seen saved; rejects after two poll intervals + 30 s. */
	threeSavedAt: Promise<number>;
}

async function startPollingWork({ sims, out }: Stack): Promise<PollingWork> {
	const started = Date.now();
	const response = await client.post(
		`${sims.rotateProduct.apiUrl}/generations`,
		{ generations: ['poll-a', 'poll-b', 'poll-c'].map((externalId) => ({ imageUrl: `https://img.example/${externalId}.jpg`, externalId })) },
		{ headers: { authorization: `Bearer ${RP_KEY}` } },
	);
	const dir = join(out, 'trigger');
	const threeSavedAt =
		response.status === 201
			? eventually('three saved videos', () => pollFiles(dir).length >= 3 && Date.now(), 2 * POLL_INTERVAL_MS + 30_000)
			: Promise.reject(new Error(`creating the generations answered ${response.status}`));
	threeSavedAt.catch(() => undefined); // awaited by the test, later
	return { started, response, threeSavedAt };
}

/**
 * Example 2's test, first half (a beforeAll of the caller's describe): three new
 * generations for the active polling trigger, watched for on disk from then on,
 * so the poll intervals pass while the tests defined after it run. Any failure
 * is kept for the test (pollingTriggerTest), not thrown at the others.
 */
export function startPollingTrigger(stack: () => Stack): () => Promise<PollingWork> {
	let work: Promise<PollingWork> | undefined;
	beforeAll(() => {
		work = startPollingWork(stack());
		work.catch(() => undefined); // awaited by the test, later
	});
	return () => work ?? Promise.reject(new Error('startPollingTrigger did not run'));
}

/** Example 2's test, second half: everything it asserts, checked once its waits are over. */
export function pollingTriggerTest(stack: () => Stack, work: () => Promise<PollingWork>): void {
	test('(2) the active polling trigger saves each finished generation exactly once, within two poll intervals', async () => {
		const { out } = stack();
		const { started, response, threeSavedAt } = await work();
		expect(response.status).toBe(201);
		const ids = (response.data as { data: { generations: Array<{ id: number }> } }).data.generations.map((g) => g.id);
		const dir = join(out, 'trigger');
		const savedAt = await threeSavedAt;
		expect(savedAt - started).toBeLessThan(2 * POLL_INTERVAL_MS + 30_000);
		// One more poll after all three were saved: nothing twice.
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, savedAt + POLL_INTERVAL_MS + 5000 - Date.now())));
		const names = pollFiles(dir);
		const byName = new Map(names.map((name) => [name.replace(/^\d+-/, ''), name]));
		expect([...byName.keys()].sort()).toEqual(['poll-a.mp4', 'poll-b.mp4', 'poll-c.mp4']);
		expect(names).toHaveLength(3);
		for (const [index, id] of ids.entries()) expect(sha256(readFileSync(join(dir, String(byName.get(`poll-${'abc'[index]}.mp4`)))))).toBe(rpBytes(id));
		// Example 1's generations were reported too, once each (one of them is named vase/tall).
		expect(filesIn(dir).filter((name) => !/^\d+-poll-/.test(name)).map((name) => name.replace(/^\d+-/, '')).sort()).toEqual(
			['chair-01.mp4', 'lamp-oak.mp4', 'mug-blue.mp4', 'mug-red.mp4', 'vase_tall.mp4'],
		);
	});
}
