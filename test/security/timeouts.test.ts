/**
 * Nothing hangs. A server that accepts and never answers, or stops sending in
 * the middle of a body, fails the request within the node's timeouts (its Options)
 * (set small here through the option), in an execution, a poll and a webhook.
 * A server that trickles a byte just before each timeout (body or headers)
 * cannot hold a request either: the whole answer of an API call must arrive
 * within the response timeout. A
 * timed-out read is retried; a timed-out paid POST is sent once and says it may
 * have been processed; a stalled download is resumed with Range where it can be,
 * and otherwise stores nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import { binaryBuffer, loadPackage, pollNode } from '../harness/engine';
import type { ServedWebhook } from '../harness/webhook';
import { serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import { avatarVideo, JOBS, TOKEN, useColossyan } from '../colossyan/fixture';
import { generateFromProducts, GENERATIONS, KEY, products, useRotateProduct } from '../rotateproduct/fixture';

/** Short enough to keep the suite fast, long enough for a loaded machine to answer a healthy request. */
const RESPONSE_S = 0.4;
const STALL_S = 0.4;
/** The timeouts as a user sets them: in the node's Options. */
const timeoutOptions = { responseTimeoutSeconds: RESPONSE_S, stallTimeoutSeconds: STALL_S };
const timeouts = { options: timeoutOptions };
/**
 * Four attempts of RESPONSE_S plus at most 0.5 + 1 + 2 s of backoff, with generous room for
 * a loaded machine: the bounds only separate "failed in time" from "hung" (without the
 * timeouts these requests never end), they measure nothing finer.
 */
const RETRIED_BOUND_MS = 4 * RESPONSE_S * 1000 + 3_500 + 8_000;
const ONCE_BOUND_MS = 8_000;
/** A byte just before each idle timeout would fire: never silent long enough for one. */
const TRICKLE_MS = Math.round(RESPONSE_S * 1000 * 0.6);
// A broken timeout hangs until Jest gives up: let that be quick and plain.
jest.setTimeout(30_000);
// Loading the package is not part of any request's time.
beforeAll(async () => await loadPackage());

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
	const started = Date.now();
	const result = await work();
	return { result, ms: Date.now() - started };
}

describe('RotateProduct in an execution', () => {
	const rp = useRotateProduct({ videoSizeBytes: 200_000 });
	const credits: INodeParameters = { resource: 'account', operation: 'getCredits', ...timeouts };

	test('a GET that never gets an answer is retried, then fails within its timeouts, saying so', async () => {
		rp.sim.inject({ path: '/api/v1/credits', times: 10, fault: { kind: 'noResponse' } });
		const { result, ms } = await timed(async () => await rp.run(credits));
		expect(result.error?.message).toBe(`RotateProduct did not answer GET /credits within ${RESPONSE_S} s after 4 attempts`);
		expect((result.error as { description?: string }).description).toMatch(/raise Response Timeout/);
		expect(rp.sim.count('GET', '/api/v1/credits')).toBe(4);
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
	});

	test('a GET that times out once succeeds on the retry', async () => {
		rp.sim.inject({ path: '/api/v1/credits', fault: { kind: 'noResponse' } });
		const { items, error } = await rp.run(credits);
		expect(error).toBeUndefined();
		expect(items[0].json.credits).toBe(100_000);
		expect(rp.sim.count('GET', '/api/v1/credits')).toBe(2);
	});

	test('a JSON answer whose body stalls midway fails within the timeout too (and is retried)', async () => {
		rp.sim.inject({ path: '/api/v1/credits', times: 10, fault: { kind: 'stallBody', afterBytes: 5 } });
		const { result, ms } = await timed(async () => await rp.run(credits));
		expect(result.error?.message).toMatch(/^RotateProduct did not answer GET \/credits within 0\.4 s after 4 attempts/);
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
	});

	test('a paid POST that is never answered is sent once, and says it may have been processed', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, times: 10, fault: { kind: 'noResponse' } });
		const { result, ms } = await timed(async () => await rp.run({ ...generateFromProducts, ...timeouts }, products(2)));
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(result.error?.message).toBe(`RotateProduct did not answer POST /generations within ${RESPONSE_S} s`);
		expect((result.error as { description?: string }).description).toMatch(/may have processed this request and charged for it.*It was not sent again/);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('a paid POST processed whose answer then stalls is sent once; its generations are recovered by External ID', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, times: 10, fault: { kind: 'stallBody', afterBytes: 10 } });
		const { result, ms } = await timed(async () => await rp.run({ ...generateFromProducts, ...timeouts }, products(2)));
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.recovered)).toEqual([true, true]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('a video whose body stalls fails within the stall timeout and stores nothing', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		rp.sim.inject({ path: `${GENERATIONS}/${generation.id}`, times: 10, fault: { kind: 'stallBody', afterBytes: 20_000 } });
		const download = { resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id), ...timeouts };
		const { result, ms } = await timed(async () => await rp.run(download, undefined, { continueOnFail: true }));
		expect(result.items).toHaveLength(1);
		expect(result.items[0].binary).toBeUndefined();
		expect(result.items[0].json.error).toMatch(new RegExp(`^The download of generation ${generation.id} did not complete: it stalled after \\d+ bytes \\(no data arrived for 0\\.4 s`));
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('a body that stalls once is resumed from the byte reached: the whole file, two requests', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		rp.sim.inject({ path: `${GENERATIONS}/${generation.id}`, fault: { kind: 'stallBody', afterBytes: 70_000 } });
		const download = { resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id), ...timeouts };
		const { items, error } = await rp.run(download);
		expect(error).toBeUndefined();
		expect((await binaryBuffer(items[0].binary?.data)).length).toBe(200_000);
		expect(rp.sim.count('GET', `${GENERATIONS}/${generation.id}`)).toBe(2);
	});

	test('a healthy download is not cut by a short stall timeout', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id), ...timeouts });
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
	});
});

describe('RotateProduct Trigger in a poll', () => {
	const rp = useRotateProduct({ videoSizeBytes: 200_000 });

	async function poll(staticData: IDataObject, options: INodeParameters = {}) {
		return await pollNode({
			node: { type: 'rotateProductTrigger', parameters: { events: ['completed'], options: { ...options, ...timeoutOptions } } },
			credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
			staticData,
		});
	}

	test('a list call that never gets an answer fails the poll within its timeouts (the cursor stays)', async () => {
		const staticData: IDataObject = {};
		await poll(staticData);
		const cursor = JSON.stringify(staticData);
		rp.sim.inject({ path: GENERATIONS, times: 10, fault: { kind: 'noResponse' } });
		const started = Date.now();
		await expect(poll(staticData)).rejects.toThrow(`RotateProduct did not answer GET /generations within ${RESPONSE_S} s after 4 attempts`);
		expect(Date.now() - started).toBeLessThan(RETRIED_BOUND_MS);
		expect(JSON.stringify(staticData)).toBe(cursor);
	});

	test('a video whose body stalls in a poll: each poll ends within the stall timeout; the event waits for the next polls, then is reported without a file', async () => {
		const staticData: IDataObject = {};
		await poll(staticData, { downloadVideo: true });
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		rp.sim.inject({ path: `${GENERATIONS}/${generation.id}`, times: 100, fault: { kind: 'stallBody', afterBytes: 20_000 } });
		// A stall may heal: the download is tried again on the next 2 polls (docs/rotateproduct-trigger.md).
		for (let attempt = 1; attempt <= 3; attempt++) {
			const started = Date.now();
			const result = await poll(staticData, { downloadVideo: true });
			expect(Date.now() - started).toBeLessThan(ONCE_BOUND_MS);
			if (attempt < 3) {
				expect(result).toBeNull();
				continue;
			}
			const [item] = result?.[0] ?? [];
			expect(item.json).toMatchObject({ event: 'completed', id: generation.id });
			expect(item.binary).toBeUndefined();
			expect(item.json.downloadError).toMatch(/it stalled after \d+ bytes.*failed on 3 polls in a row/);
		}
	});
});

describe('Colossyan in an execution', () => {
	const col = useColossyan({ videoSizeBytes: 200_000, renderMs: 100_000 });

	test('an API call that never gets an answer fails within its timeouts', async () => {
		col.sim.inject({ path: '/api/v1/assets/actors', times: 10, fault: { kind: 'noResponse' } });
		const started = Date.now();
		const { error } = await col.run({ resource: 'asset', operation: 'listAvatars', ...timeouts });
		expect(error?.message).toBe(`Colossyan did not answer GET /assets/actors within ${RESPONSE_S} s after 4 attempts`);
		expect(Date.now() - started).toBeLessThan(RETRIED_BOUND_MS);
	});

	test.each([
		['never answered', { kind: 'noResponse' as const }],
		['headers trickle forever', { kind: 'trickleHeaders' as const, intervalMs: TRICKLE_MS }],
		['processed, then its answer trickles forever', { kind: 'trickleBody' as const, intervalMs: TRICKLE_MS }],
	])('a paid Generate that times out (%s) is sent once and says it may have been processed', async (_name, fault) => {
		col.sim.inject({ method: 'POST', path: JOBS, times: 10, fault });
		const { result, ms } = await timed(async () => await col.run({ ...avatarVideo, ...timeouts }, [{ name: 'Ada' }]));
		expect(col.sim.count('POST', JOBS)).toBe(1);
		expect(result.error?.message).toBe(`Colossyan did not answer POST /video-generation-jobs within ${RESPONSE_S} s`);
		expect((result.error as { description?: string }).description).toMatch(/may have processed this request and charged for it.*It was not sent again/);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('a file host that stalls mid-body fails the download within the stall timeout, storing nothing', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.inject({ times: 10, fault: { kind: 'stallBody', afterBytes: 20_000 } });
		const started = Date.now();
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id, ...timeouts });
		expect(Date.now() - started).toBeLessThan(ONCE_BOUND_MS);
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^The download of video \S+ did not complete: it stalled after \d+ bytes/);
	});
});

describe('a server that trickles bytes cannot hold a request', () => {
	const rp = useRotateProduct({ videoSizeBytes: 200_000 });
	const credits: INodeParameters = { resource: 'account', operation: 'getCredits', ...timeouts };

	test.each([
		['a JSON body, a byte at a time forever', { kind: 'trickleBody' as const, intervalMs: TRICKLE_MS }],
		['headers, a byte at a time forever', { kind: 'trickleHeaders' as const, intervalMs: TRICKLE_MS }],
	])('a GET whose answer trickles (%s) fails within its timeouts and is retried', async (_name, fault) => {
		rp.sim.inject({ path: '/api/v1/credits', times: 10, fault });
		const { result, ms } = await timed(async () => await rp.run(credits));
		expect(result.error?.message).toBe(`RotateProduct did not answer GET /credits within ${RESPONSE_S} s after 4 attempts`);
		expect(rp.sim.count('GET', '/api/v1/credits')).toBe(4);
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
	});

	test('a paid POST processed whose JSON answer then trickles is sent once; its generations are recovered by External ID', async () => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, times: 10, fault: { kind: 'trickleBody', intervalMs: TRICKLE_MS } });
		const { result, ms } = await timed(async () => await rp.run({ ...generateFromProducts, ...timeouts }, products(2)));
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.recovered)).toEqual([true, true]);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test.each([
		['accepted, then headers trickle', { kind: 'trickleHeaders' as const, intervalMs: TRICKLE_MS }],
	])('a paid POST whose answer trickles (%s) is sent once and says it may have been processed', async (_name, fault) => {
		rp.sim.inject({ method: 'POST', path: GENERATIONS, times: 10, fault });
		const { result, ms } = await timed(async () => await rp.run({ ...generateFromProducts, ...timeouts }, products(2)));
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
		expect(result.error?.message).toBe(`RotateProduct did not answer POST /generations within ${RESPONSE_S} s`);
		expect((result.error as { description?: string }).description).toMatch(/may have processed this request and charged for it.*It was not sent again/);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('an error answer whose body trickles still fails with its status, in time', async () => {
		rp.sim.inject({ path: '/api/v1/credits', times: 10, fault: { kind: 'trickleBody', status: 400, intervalMs: TRICKLE_MS } });
		const { result, ms } = await timed(async () => await rp.run(credits));
		expect(result.error?.message).toMatch(/^RotateProduct refused the request/);
		expect(rp.sim.count('GET', '/api/v1/credits')).toBe(1);
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
	});

	test('a poll whose list call trickles fails within its timeouts (the cursor stays)', async () => {
		const staticData: IDataObject = {};
		const poll = async () =>
			await pollNode({
				node: { type: 'rotateProductTrigger', parameters: { events: ['completed'], ...timeouts } },
				credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } },
				staticData,
			});
		await poll();
		const cursor = JSON.stringify(staticData);
		rp.sim.inject({ path: GENERATIONS, times: 10, fault: { kind: 'trickleBody', intervalMs: TRICKLE_MS } });
		const started = Date.now();
		await expect(poll()).rejects.toThrow(`RotateProduct did not answer GET /generations within ${RESPONSE_S} s after 4 attempts`);
		expect(Date.now() - started).toBeLessThan(RETRIED_BOUND_MS);
		expect(JSON.stringify(staticData)).toBe(cursor);
	});
});

describe('Colossyan Trigger in a webhook', () => {
	const col = useColossyan({ videoSizeBytes: 200_000 });
	let hook: ServedWebhook | undefined;
	afterEach(async () => await hook?.stop());

	/** Delivers a signed callback naming a finished video; Colossyan must be answered at once, whatever follows. */
	async function deliver(): Promise<{ item: { json: IDataObject; binary?: IDataObject }; ms: number; videoId: string }> {
		const [job] = await col.finishedJobs(['Ada']);
		hook = await serveWebhook(
			{ type: 'colossyanTrigger', parameters: { events: ['finished'], downloadVideo: true, allowedHosts: '127.0.0.1', ...timeouts } },
			{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
			'production',
		);
		return await afterInjection(job.videoId);
	}

	let inject: (videoId: string) => void = () => undefined;

	async function afterInjection(videoId: string) {
		inject(videoId);
		const started = Date.now();
		const answer = await client.post(signCallbackUrl(hook!.url, TOKEN), { status: 'finished', videoId });
		expect(answer.status).toBe(200);
		await hook!.settled();
		const ms = Date.now() - started;
		const workflows = hook!.started();
		expect(workflows).toHaveLength(1);
		return { item: workflows[0][0][0] as { json: IDataObject; binary?: IDataObject }, ms, videoId };
	}

	test('a stalled API call (the video confirmation never answers) fails within its timeout; the event is kept', async () => {
		inject = (videoId) => col.sim.inject({ path: `/api/v1/generated-videos/${videoId}`, times: 10, fault: { kind: 'noResponse' } });
		const { item, ms, videoId } = await deliver();
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'finished', videoId });
		expect(item.json.downloadError).toBe(`Colossyan did not answer GET /generated-videos/${videoId} within ${RESPONSE_S} s after 4 attempts`);
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test.each([
		['stalls', { kind: 'stallBody' as const, afterBytes: 5 }],
		['trickles forever', { kind: 'trickleBody' as const, intervalMs: TRICKLE_MS }],
	])('a stalled body of the API confirmation (%s) fails within its timeout', async (_name, fault) => {
		inject = (videoId) => col.sim.inject({ path: `/api/v1/generated-videos/${videoId}`, times: 10, fault });
		const { item, ms, videoId } = await deliver();
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toBe(`Colossyan did not answer GET /generated-videos/${videoId} within ${RESPONSE_S} s after 4 attempts`);
	});

	test('a body of the video itself that stalls on every resume fails within the stall timeouts and stores nothing', async () => {
		// One stall is resumed (the transport resumes every download); one on every attempt is not.
		inject = () => col.sim.files.inject({ times: 10, fault: { kind: 'stallBody', afterBytes: 20_000 } });
		const { item, ms } = await deliver();
		expect(ms).toBeLessThan(ONCE_BOUND_MS);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'finished', videoConfirmedByApi: true });
		expect(item.json.downloadError).toMatch(/did not complete: it stalled after \d+ bytes \(no data arrived for 0\.4 s/);
	});

	test('a file host that never answers fails the download within the response timeout', async () => {
		inject = () => col.sim.files.inject({ times: 10, fault: { kind: 'noResponse' } });
		const { item, ms } = await deliver();
		expect(ms).toBeLessThan(RETRIED_BOUND_MS);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(new RegExp(`did not answer GET \\S+ within ${RESPONSE_S} s after 4 attempts`));
	});

	test('with healthy servers the same short timeouts download the video', async () => {
		inject = () => undefined;
		const { item } = await deliver();
		expect(item.json.downloadError).toBeUndefined();
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
	});
});
