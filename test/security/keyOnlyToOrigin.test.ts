/**
 * The key only to its origin, swept over every request the package makes: every
 * operation of both nodes and both triggers' downloads × {no redirect, a redirect
 * within the origin, a redirect to a foreign origin, a chain that leaves and comes
 * back} × {no break, the body breaks mid-way (downloads resume, JSON answers are
 * retried)}. On every request any server received (the API, Colossyan's file host,
 * the foreign origin), Authorization is present exactly when the request went to
 * the credential Base URL's origin and no hop of its chain had left that origin.
 *
 * How a request's chain is known: every redirect Location adds `hop=1` to the
 * query, and a Location that brings a chain back from the foreign origin adds
 * `back=1`. Break points are seeded: set KEY_SWEEP_SEED to replay a run.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import { pollNode } from '../harness/engine';
import type { ServedWebhook } from '../harness/webhook';
import { serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import type { RecordedRequest, SimulatorServer } from '../simulators/common/server';
import { FOREIGN_VIDEO_BYTES, ForeignOrigin } from '../simulators/common/foreignOrigin';
import { avatarVideo, TOKEN, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, KEY, products, useRotateProduct } from '../rotateproduct/fixture';
import { seededRandom, sweepSeed } from '../helpers/seeded';

const SEED = sweepSeed('KEY_SWEEP_SEED', 'keyOnlyToOrigin');

const random = seededRandom(SEED);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const REDIRECTS = ['none', 'sameOrigin', 'crossOrigin', 'leavesAndReturns'] as const;
type RedirectMode = (typeof REDIRECTS)[number];
const BREAKS = ['none', 'breaksMidway'] as const;
type BreakMode = (typeof BREAKS)[number];

const EVERY_PATH = /.*/;
const VIDEO_BYTES = FOREIGN_VIDEO_BYTES;

/** Where a run's redirects and breaks are applied: the server, and which of its requests. */
interface Target {
	server: SimulatorServer;
	path: RegExp;
	/** The body is a file download (breaks are resumed, so a Range request must follow). */
	download: boolean;
}

const foreign = new ForeignOrigin();
beforeEach(async () => await foreign.start());
afterEach(async () => {
	await foreign.stop();
	foreign.resetLog();
	foreign.faults.clear();
});

function withParam(query: URLSearchParams, name: string): string {
	const next = new URLSearchParams(query);
	next.set(name, '1');
	return next.toString();
}

/** Injects the redirect mode and the break on the target (redirect rules first: they win while they apply). */
function arrange(target: Target, redirect: RedirectMode, broken: BreakMode): void {
	const { server, path } = target;
	const origin = new URL(server.baseUrl).origin;
	const times = 1_000;
	if (redirect === 'sameOrigin') {
		server.inject({ path, times, unlessQuery: 'hop', fault: { kind: 'redirect', status: 307, location: (r) => `${r.path}?${withParam(r.query, 'hop')}` } });
	}
	if (redirect === 'crossOrigin' || redirect === 'leavesAndReturns') {
		server.inject({ path, times, unlessQuery: 'hop', fault: { kind: 'redirect', status: 307, location: (r) => `${foreign.baseUrl}${r.path}?${withParam(r.query, 'hop')}` } });
	}
	if (redirect === 'leavesAndReturns') {
		foreign.inject({ path: EVERY_PATH, times, fault: { kind: 'redirect', status: 307, location: (r) => `${origin}${r.path}?${withParam(r.query, 'back')}` } });
	}
	if (broken === 'breaksMidway') {
		const afterBytes = target.download ? between(1, VIDEO_BYTES - 1) : between(1, 20);
		server.inject({ path, fault: { kind: 'truncate', afterBytes } });
		foreign.inject({ path: EVERY_PATH, fault: { kind: 'truncate', afterBytes } });
	}
}

/** Every request every server saw obeys the rule; returns how many asked for a range (resumes). */
function expectKeyOnlyToItsOrigin(servers: SimulatorServer[], baseOrigin: string, key: string): number {
	const seen: Array<{ origin: string; request: RecordedRequest }> = [];
	for (const server of [...servers, foreign]) {
		const origin = new URL(server.baseUrl).origin;
		for (const request of server.requests) seen.push({ origin, request });
	}
	expect(seen.length).toBeGreaterThan(0);
	for (const { origin, request } of seen) {
		const trusted = origin === baseOrigin && !request.query.has('back');
		const where = `${request.method} ${origin}${request.path}?${request.query.toString()}`;
		expect({ where, authorization: request.headers.authorization }).toEqual({ where, authorization: trusted ? `Bearer ${key}` : undefined });
	}
	return seen.filter(({ request }) => request.headers.range !== undefined).length;
}

const SWEEP = REDIRECTS.flatMap((redirect) => BREAKS.map((broken) => [redirect, broken] as const));

describe('RotateProduct: every operation and the trigger', () => {
	const rp = useRotateProduct({ videoSizeBytes: VIDEO_BYTES, renderMs: 0 });
	type Run = (ids: number[]) => Promise<unknown>;
	const run = (parameters: (ids: number[]) => INodeParameters, input?: IDataObject[]): Run => async (ids) => await rp.run(parameters(ids), input);
	const videoPath = /^\/api\/v1\/generations\/\d+$/;
	const operations: Array<[string, Run, 'api' | 'video']> = [
		['Get Credits', run(() => ({ resource: 'account', operation: 'getCredits' })), 'api'],
		['Generate', run(() => generateFromProducts, products(1)), 'api'],
		['Get Status', run((ids) => ({ resource: 'generation', operation: 'getStatus', generationId: String(ids[0]) })), 'api'],
		['List', run(() => ({ resource: 'generation', operation: 'list', returnAll: true })), 'api'],
		['Download Video', run((ids) => ({ resource: 'generation', operation: 'downloadVideo', generationId: String(ids[0]) })), 'video'],
		['Download Zip (server)', run((ids) => ({ resource: 'generation', operation: 'downloadZip', generationIds: ids.join(',') })), 'api'],
		['Download Zip (in n8n)', run((ids) => ({ resource: 'generation', operation: 'downloadZip', generationIds: ids.join(','), archiveMode: 'single' })), 'video'],
		['Trigger download', async () => await pollTrigger(), 'video'],
	];
	const staticData: IDataObject = {};
	async function pollTrigger(): Promise<unknown> {
		return await pollNode({
			node: { type: 'rotateProductTrigger', parameters: { events: ['completed'], options: { downloadVideo: true } } },
			credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
			staticData,
		}).catch((error: unknown) => error);
	}

	const cases = operations.flatMap(([name, go, kind]) => SWEEP.map(([redirect, broken]) => [name, redirect, broken, go, kind] as const));
	test.each(cases)('%s, redirect: %s, body: %s', async (name, redirect, broken, go, kind) => {
		for (const key of Object.keys(staticData)) delete staticData[key];
		if (name === 'Trigger download') await pollTrigger(); // the baseline poll: later generations are events
		const ids = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }, { imageUrl: 'https://a.example/2.jpg' }], { renderMs: 0 }).map((g) => g.id);
		rp.sim.resetLog();
		const download = kind === 'video';
		arrange({ server: rp.sim, path: download ? videoPath : EVERY_PATH, download }, redirect, broken);
		await go(ids);
		const ranges = expectKeyOnlyToItsOrigin([rp.sim], new URL(rp.sim.apiUrl).origin, KEY);
		// The sweep must exercise resumes: a broken video body reached without the key is resumed.
		if (download && broken === 'breaksMidway' && redirect !== 'leavesAndReturns') expect(ranges).toBeGreaterThan(0);
	});

	test('the sweep is not vacuous: a GET of the video path answers 401 without the key', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		const answer = await client.get(`${rp.sim.apiUrl}/generations/${generation.id}`);
		expect(answer.status).toBe(401);
	});
});

describe('Colossyan: every operation and the trigger', () => {
	const col = useColossyan({ videoSizeBytes: VIDEO_BYTES, renderMs: 100_000 });
	type Run = (jobs: Array<{ id: string; videoId: string }>) => Promise<unknown>;
	const run = (parameters: (jobs: Array<{ id: string; videoId: string }>) => INodeParameters, input?: IDataObject[]): Run => async (jobs) => await col.run(parameters(jobs), input);
	const operations: Array<[string, Run, 'api' | 'files']> = [
		['List Avatars', run(() => ({ resource: 'asset', operation: 'listAvatars' })), 'api'],
		['List Voices', run(() => ({ resource: 'asset', operation: 'listVoices' })), 'api'],
		['Generate', run(() => avatarVideo, [{ name: 'Ada' }]), 'api'],
		['Get Status', run((jobs) => ({ resource: 'job', operation: 'getStatus', jobId: jobs[0].id })), 'api'],
		['Cancel', run((jobs) => ({ resource: 'job', operation: 'cancel', jobId: jobs[0].id })), 'api'],
		['Get Video', run((jobs) => ({ resource: 'video', operation: 'get', idType: 'video', id: jobs[0].videoId })), 'api'],
		['Download Video', run((jobs) => ({ resource: 'video', operation: 'download', idType: 'job', id: jobs[0].id })), 'files'],
		['Download Zip', run((jobs) => ({ resource: 'video', operation: 'downloadZip', idType: 'job', ids: jobs.map((j) => j.id).join(',') })), 'files'],
		['Trigger download', async (jobs) => await deliverCallback(jobs[0].videoId), 'files'],
	];
	let hook: ServedWebhook | undefined;
	afterEach(async () => {
		await hook?.stop();
		hook = undefined;
	});
	async function deliverCallback(videoId: string): Promise<unknown> {
		hook = await serveWebhook(
			{ type: 'colossyanTrigger', parameters: { events: ['finished'], downloadVideo: true, allowedHosts: '127.0.0.1' } },
			{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
			'production',
		);
		const answer = await client.post(signCallbackUrl(hook.url, TOKEN), { status: 'finished', videoId });
		expect(answer.status).toBe(200);
		await hook.settled();
		return hook.started();
	}

	const cases = operations.flatMap(([name, go, kind]) => SWEEP.map(([redirect, broken]) => [name, redirect, broken, go, kind] as const));
	test.each(cases)('%s, redirect: %s, body: %s', async (_name, redirect, broken, go, kind) => {
		const jobs = await col.finishedJobs(['Ada', 'Bob']);
		col.sim.files.resetLog();
		const download = kind === 'files';
		arrange({ server: download ? col.sim.files : col.sim, path: EVERY_PATH, download }, redirect, broken);
		await go(jobs);
		const ranges = expectKeyOnlyToItsOrigin([col.sim, col.sim.files], new URL(col.sim.apiUrl).origin, TOKEN);
		if (download && broken === 'breaksMidway') expect(ranges).toBeGreaterThan(0);
	});
});
