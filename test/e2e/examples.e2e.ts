/**
 * The package inside a real n8n (installed from the registry, pinned), in
 * regular mode and in queue mode (main + worker + Redis): the shipped example
 * workflows run against the simulators and their real outcomes are checked on
 * disk, in n8n's database and in the simulators' request logs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { client } from '../helpers/http';
import { readZip, sha256 } from '../helpers/zip';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed as colossyanSeed } from '../simulators/colossyan/ColossyanSimulator';
import { videoSeed as rotateProductSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { N8N_RELEASES } from '../../scripts/n8n/install';
import { RP_KEY, VIDEO_BYTES } from '../../scripts/n8n/services';
import type { N8nLine, Stack } from '../../scripts/n8n/stack';
import { startStack } from '../../scripts/n8n/stack';

const MODES = (process.env.E2E_MODES ?? 'regular,queue').split(',') as Array<'regular' | 'queue'>;
const LINES = (process.env.E2E_LINES ?? '1.x,2.x').split(',') as N8nLine[];
const RUNS = LINES.flatMap((line) => MODES.map((mode) => [N8N_RELEASES[line].version, mode, line] as const));
const POLL_INTERVAL_MS = 60_000;

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
const rpBytes = (id: number) => sha256(videoBuffer(rotateProductSeed(id), VIDEO_BYTES));
const colBytes = (videoId: string) => sha256(videoBuffer(colossyanSeed(videoId), VIDEO_BYTES));

describe.each(RUNS)('n8n %s, %s mode', (_version, mode, line) => {
	let stack: Stack;
	let n8n: Stack['n8n'];
	let sims: Stack['sims'];
	let out: string;

	beforeAll(async () => {
		stack = await startStack({ mode, line, log: (line) => process.stdout.write(`${line}\n`) });
		({ n8n, sims, out } = stack);
	});

	afterAll(async () => await stack?.stop());

	test('n8n loaded the package: the trigger and form workflows are active, none failed to activate', async () => {
		expect((await n8n.activeWorkflowIds()).sort()).toEqual(['rpcExample02', 'rpcExample04', 'rpcExample06']);
		expect(n8n.logOf('start')).not.toMatch(/did fail with error|failed with the error|Unrecognized node type/);
	});

	test('(1) product list -> Generate (wait) -> Download Zip -> a zip with the right mp4s on disk', async () => {
		await n8n.execute('rpcExample01');
		const [zipFile] = filesIn(join(out, 'zip'));
		expect(zipFile).toMatch(/^generations-\d+\.zip$/);
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

	test('(3)+(4) Colossyan Generate with the trigger as Callback URL -> the real callback hits n8n -> video on disk', async () => {
		const before = await n8n.executionCount('rpcExample04');
		await n8n.execute('rpcExample03');
		const [delivery] = await until('the callback', () => sims.colossyan.callbacks.length > 0 && sims.colossyan.callbacks, 60_000);
		await until('the callback answer', () => delivery.status !== 'error' || undefined, 30_000);
		expect(delivery.url.startsWith(`${n8n.baseUrl}/webhook/colossyan-callback-example/webhook?n8nNonce=`)).toBe(true);
		expect(delivery.status).toBe(200);
		const [file] = await until('the saved video', () => filesIn(join(out, 'colossyan')).length > 0 && filesIn(join(out, 'colossyan')), 60_000);
		expect(file).toMatch(/^\d+-video-vid_\w+\.mp4$/);
		const videoId = String(delivery.body.url).split('/').pop()?.replace('.mp4', '') ?? '';
		await until('the file to be complete', () => readFileSync(join(out, 'colossyan', file)).length === VIDEO_BYTES, 10_000);
		expect(sha256(readFileSync(join(out, 'colossyan', file)))).toBe(colBytes(videoId));
		expect(await n8n.executionCount('rpcExample04')).toBe(before + 1);
	});

	test('(4) a forged callback gets 401 and creates no execution', async () => {
		const before = await n8n.executionCount('rpcExample04');
		const url = `${n8n.baseUrl}/webhook/colossyan-callback-example/webhook`;
		const forged = await client.post(url, { status: 'finished', url: `${sims.colossyan.files.baseUrl}/videos/x.mp4` });
		const wrongSignature = await client.post(`${url}?n8nNonce=AAAAAAAAAAAAAAAAAAAAAA&n8nSignature=forged`, { status: 'finished' });
		expect([forged.status, wrongSignature.status]).toEqual([401, 401]);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await n8n.executionCount('rpcExample04')).toBe(before);
	});

	test('(5) a template video per form entry, waiting for completion, written to disk', async () => {
		await n8n.execute('rpcExample05');
		const requests = sims.colossyan.matching('POST', '/api/v1/video-generation-jobs/template-jobs');
		expect(requests.map((request) => (request.body as { dynamicVariables: { name: string } }).dynamicVariables.name)).toEqual(['Grace', 'Linus']);
		const jobs = [...Array(10).keys()].map((n) => sims.colossyan.job(`job_${n.toString(36).padStart(6, '0')}`)).filter((job) => job?.kind === 'template');
		expect(filesIn(join(out, 'template'))).toEqual(jobs.map((job) => `${String(job?.id)}.mp4`).sort());
		for (const job of jobs) expect(sha256(readFileSync(join(out, 'template', `${String(job?.id)}.mp4`)))).toBe(colBytes(String(job?.videoId)));
	});

	test('(2) the active polling trigger saves each finished generation exactly once, within two poll intervals', async () => {
		const started = Date.now();
		const response = await client.post(
			`${sims.rotateProduct.apiUrl}/generations`,
			{ generations: ['poll-a', 'poll-b', 'poll-c'].map((externalId) => ({ imageUrl: `https://img.example/${externalId}.jpg`, externalId })) },
			{ headers: { authorization: `Bearer ${RP_KEY}` } },
		);
		expect(response.status).toBe(201);
		const ids = (response.data as { data: { generations: Array<{ id: number }> } }).data.generations.map((g) => g.id);
		const dir = join(out, 'trigger');
		const saved = () => filesIn(dir).filter((name) => /^\d+-poll-/.test(name));
		await until('three saved videos', () => saved().length >= 3, 2 * POLL_INTERVAL_MS + 30_000);
		expect(Date.now() - started).toBeLessThan(2 * POLL_INTERVAL_MS + 30_000);
		await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS + 5000)); // one more poll: nothing twice
		const names = saved();
		const byName = new Map(names.map((name) => [name.replace(/^\d+-/, ''), name]));
		expect([...byName.keys()].sort()).toEqual(['poll-a.mp4', 'poll-b.mp4', 'poll-c.mp4']);
		expect(names).toHaveLength(3);
		for (const [index, id] of ids.entries()) expect(sha256(readFileSync(join(dir, String(byName.get(`poll-${'abc'[index]}.mp4`)))))).toBe(rpBytes(id));
		// Example 1's generations were reported too, once each (one of them is named vase/tall).
		expect(filesIn(dir).filter((name) => !/^\d+-poll-/.test(name)).map((name) => name.replace(/^\d+-/, '')).sort()).toEqual(
			['chair-01.mp4', 'lamp-oak.mp4', 'mug-blue.mp4', 'mug-red.mp4', 'vase_tall.mp4'],
		);
	});
});
