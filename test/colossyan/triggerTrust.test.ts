/**
 * The Colossyan Trigger treats a callback as untrusted input: with Download
 * Video on, a body cannot steer n8n's fetches into private space (directly, by
 * DNS or by redirect), a video the callback names is confirmed through the API,
 * a delivered-again callback starts nothing new, a weak secret accepts nothing,
 * and Colossyan's request is answered whatever the download does.
 */
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import type { IDataObject } from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import { binaryBuffer } from '../harness/engine';
import type { ServedWebhook } from '../harness/webhook';
import { activateWebhook, serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import { sha256 } from '../helpers/zip';
import { InternalServer, INTERNAL_VIDEO_SEED } from '../simulators/common/internal';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { TOKEN, useColossyan } from './fixture';

const col = useColossyan({ videoSizeBytes: 90_000 });
const internal = new InternalServer();
let hook: ServedWebhook | undefined;
beforeEach(async () => await internal.start());
afterEach(async () => {
	await hook?.stop();
	await internal.stop();
	internal.resetLog();
});

async function serve(parameters: IDataObject = {}, staticData: IDataObject = {}): Promise<ServedWebhook> {
	hook = await serveWebhook(
		{ type: 'colossyanTrigger', parameters: { events: ['finished', 'failed'], downloadVideo: true, ...parameters } },
		{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
		'production',
		staticData,
	);
	return hook;
}

/** Posts a callback to a freshly signed URL and waits until the trigger is done with it. */
async function deliver(served: ServedWebhook, body: IDataObject, url = signCallbackUrl(served.url, TOKEN)): Promise<number> {
	const answer = await client.post(url, body);
	await served.settled();
	return answer.status;
}

function onlyItem(served: ServedWebhook): { json: IDataObject; binary?: IDataObject } {
	const started = served.started();
	expect(started).toHaveLength(1);
	return started[0][0][0] as { json: IDataObject; binary?: IDataObject };
}

const port = (): string => new URL(internal.baseUrl).port;

/** Waits (up to 10 s) until the slow file has been asked for, so releasing it is not too early. */
async function slowFileRequested(times = 1): Promise<void> {
	for (let waited = 0; internal.hits('/slow.mp4') < times && waited < 10_000; waited += 20) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	expect(internal.hits('/slow.mp4')).toBe(times);
}

describe('a callback url in private space is fetched nowhere, and the item says why', () => {
	test.each([
		['loopback address', () => `${internal.baseUrl}/secret`, /127\.0\.0\.1 is a loopback address/],
		['localhost by name', () => `http://localhost:${port()}/secret`, /localhost is an internal host name/],
		['IPv6 loopback', () => `http://[::1]:${port()}/secret`, /loopback address/],
		['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port()}/secret`, /loopback address/],
		['a numeric form of 127.0.0.1', () => `http://2130706433:${port()}/secret`, /loopback address/],
		['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', /link-local address/],
		['RFC 1918', () => 'http://10.1.2.3/video.mp4', /private address/],
		['CGNAT', () => 'http://100.64.0.1/video.mp4', /carrier-grade NAT/],
		['IPv6 unique local', () => 'http://[fd00::1]/video.mp4', /unique local/],
		['unspecified', () => `http://0.0.0.0:${port()}/secret`, /unspecified/],
		['not http', () => 'file:///etc/passwd', /only http and https/],
	])('%s', async (_name, urlOf, reason) => {
		const served = await serve();
		expect(await deliver(served, { status: 'finished', url: urlOf() })).toBe(200);
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/^Refused to fetch /);
		expect(item.json.downloadError).toMatch(reason);
		expect(internal.hits()).toBe(0);
	});

	test('a host name that resolves to loopback is judged by its address, after DNS', async () => {
		const name = hostname();
		const addresses = await lookup(name, { all: true }).catch(() => []);
		// The machine's own name resolves to 127.0.0.1 here (/etc/hosts); elsewhere there is nothing to test.
		if (!addresses.some((entry) => entry.address.startsWith('127.'))) return;
		const served = await serve();
		await deliver(served, { status: 'finished', url: `http://${name}:${port()}/secret` });
		expect(onlyItem(served).json.downloadError).toMatch(new RegExp(`${name} resolves to 127\\.[\\d.]+, a loopback address`));
		expect(internal.hits()).toBe(0);
	});

	test.each([
		['localhost', () => `http://localhost:${port()}/secret`],
		['IPv6 loopback', () => `http://[::1]:${port()}/secret`],
		['another loopback address', () => `http://127.0.0.2:${port()}/secret`],
		['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
	])('a redirect from an allowed host into %s is refused at that hop', async (_name, target) => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		await deliver(served, { status: 'finished', url: `${internal.baseUrl}/redirect?to=${encodeURIComponent(target())}` });
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/^Refused to fetch .*(internal host name|loopback|link-local)/);
		expect(internal.requests.map((request) => request.path)).toEqual(['/redirect']);
	});
});

describe('Allowed Hosts', () => {
	test('an allow-listed host is fetched, redirects included, with exact bytes', async () => {
		const served = await serve({ allowedHosts: 'example.invalid, 127.0.0.1, localhost', binaryPropertyName: 'video' });
		const target = `http://localhost:${port()}/video/4096.mp4`;
		await deliver(served, { status: 'finished', url: `${internal.baseUrl}/redirect?to=${encodeURIComponent(target)}` });
		const item = onlyItem(served);
		expect(item.json.downloadError).toBeUndefined();
		expect(sha256(await binaryBuffer(item.binary?.video as never))).toBe(sha256(videoBuffer(INTERNAL_VIDEO_SEED, 4096)));
		expect(internal.requests.map((request) => request.path)).toEqual(['/redirect', '/video/4096.mp4']);
	});

	test('allowing one host does not allow another on the same address', async () => {
		const served = await serve({ allowedHosts: 'localhost' });
		await deliver(served, { status: 'finished', url: `${internal.baseUrl}/secret` });
		expect(onlyItem(served).json.downloadError).toMatch(/loopback/);
		expect(internal.hits()).toBe(0);
	});
});

describe('a callback that names its video is confirmed through the API', () => {
	async function finishedVideo(): Promise<{ jobId: string; videoId: string }> {
		const [job] = await col.finishedJobs(['Ada']);
		return { jobId: job.id, videoId: job.videoId };
	}

	test.each(['videoId', 'jobId'] as const)("by %s: the API's publicUrl is fetched, never the body's url", async (field) => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		const ids = await finishedVideo();
		await deliver(served, { status: 'finished', [field]: ids[field], url: `${internal.baseUrl}/secret` });
		const item = onlyItem(served);
		expect(item.json).toMatchObject({ videoConfirmedByApi: true });
		expect(sha256(await binaryBuffer(item.binary?.data as never))).toBe(sha256(videoBuffer(videoSeed(ids.videoId), 90_000)));
		expect(internal.hits()).toBe(0);
	});

	test('a video the API does not report as finished is not fetched', async () => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		const { items } = await col.run({ resource: 'job', operation: 'generate', generateMode: 'avatar', avatar: 'karen', voice: 'voice-karen-en', script: 'Hi' });
		await deliver(served, { status: 'finished', jobId: String(items[0].json.jobId), url: `${internal.baseUrl}/video/1000.mp4` });
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/^Colossyan does not confirm job \S+ as a finished video \(job status: \w+\)/);
		expect(internal.hits()).toBe(0);
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test.each(['..', '.', '../generated-videos/x', 'a\\b', 'a\u0000b'])('a named id %j that is not a plain id is refused before any request', async (id) => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		col.sim.resetLog();
		await deliver(served, { status: 'finished', videoId: id, url: `${internal.baseUrl}/video/1000.mp4` });
		expect(onlyItem(served).json.downloadError).toMatch(/not a plain ID/);
		expect(col.sim.requests).toHaveLength(0);
		expect(internal.hits()).toBe(0);
	});

	test("a file larger than the API's videoSizeBytes is refused", async () => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		const { videoId } = await finishedVideo();
		col.sim.reportVideo = (view) => ({ ...view, videoSizeBytes: 1000 });
		await deliver(served, { status: 'finished', videoId });
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/announces 90000 bytes, more than the 1000 Colossyan reported/);
	});
});

describe('a callback delivered again starts no second execution', () => {
	test('the same signed URL and body, twice: both acknowledged, one execution', async () => {
		const served = await serve({ downloadVideo: false });
		const url = signCallbackUrl(served.url, TOKEN);
		const body = { status: 'finished', url: 'https://cdn.example/v.mp4' };
		expect([await deliver(served, body, url), await deliver(served, body, url)]).toEqual([200, 200]);
		expect(served.started()).toHaveLength(1);
		expect(JSON.parse(served.calls[1].response)).toEqual({ received: true, ignored: 'already received' });
	});

	test('a signed URL (one per job) starts one execution whatever body comes with it', async () => {
		const served = await serve({ downloadVideo: false });
		const url = signCallbackUrl(served.url, TOKEN);
		await deliver(served, { status: 'finished', url: null }, url);
		expect(await deliver(served, { status: 'finished', url: null, forged: true }, url)).toBe(200);
		expect(await deliver(served, { status: 'finished', url: null }, signCallbackUrl(served.url, TOKEN))).toBe(200);
		expect(served.started()).toHaveLength(2);
	});

	test('shared secret: the same body twice starts one execution, another body starts its own', async () => {
		const served = await serve({ downloadVideo: false, verification: 'sharedSecret', sharedSecret: 'a-secret-of-24-characters' });
		const url = `${served.url}?token=a-secret-of-24-characters`;
		await deliver(served, { status: 'finished', formEntry: 1 }, url);
		await deliver(served, { status: 'finished', formEntry: 1 }, url);
		await deliver(served, { status: 'finished', formEntry: 2 }, url);
		expect(served.started().map((workflow) => workflow[0][0].json.formEntry)).toEqual([1, 2]);
	});

	test('the memory lives in the node\'s static data: at most 1,000 deliveries, none older than 30 days', async () => {
		const day = 24 * 60 * 60 * 1000;
		const now = Date.now();
		const seen: Record<string, number> = { stale: now - 31 * day, oldest: now - 20 * day };
		for (let n = 0; n < 999; n++) seen[`recent-${n}`] = now - day + n;
		const served = await serve({ downloadVideo: false }, { 'node:Node Under Test': { callbacksSeen: seen } });
		await deliver(served, { status: 'finished', url: null });
		const kept = (served.staticData()['node:Node Under Test'] as { callbacksSeen: Record<string, number> }).callbacksSeen;
		expect(Object.keys(kept)).toHaveLength(1000);
		expect(kept.stale).toBeUndefined();
		expect(kept.oldest).toBeUndefined();
		expect(kept['recent-0']).toBe(now - day);
		expect(served.started()).toHaveLength(1);
	});

	test('a copy arriving while the first is still downloading starts nothing either', async () => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		const url = signCallbackUrl(served.url, TOKEN);
		const body = { status: 'finished', url: `${internal.baseUrl}/slow.mp4` };
		const answers = await Promise.all([client.post(url, body), client.post(url, body)]);
		await slowFileRequested();
		internal.releaseSlow();
		await served.settled();
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		expect(served.started()).toHaveLength(1);
		expect(internal.hits('/slow.mp4')).toBe(1);
	});
});

describe('shared secrets shorter than 16 characters are refused', () => {
	test.each(['s', 'fifteen-chars15'])('%j: even the matching secret gets 401 with the reason', async (secret) => {
		const served = await serve({ downloadVideo: false, verification: 'sharedSecret', sharedSecret: secret });
		const answer = await client.post(`${served.url}?token=${secret}`, { status: 'finished' });
		expect(answer.status).toBe(401);
		expect(answer.data.message).toMatch(/Shared Secret is shorter than 16 characters/);
		expect(served.started()).toHaveLength(0);
	});

	test('activation fails with an error that names the fix', async () => {
		const spec = { type: 'colossyanTrigger', parameters: { events: ['finished'], verification: 'sharedSecret', sharedSecret: 'too-short' } };
		await expect(activateWebhook(spec)).rejects.toThrow('The Shared Secret of the Colossyan Trigger must be at least 16 characters long');
		await expect(activateWebhook({ ...spec, parameters: { ...spec.parameters, sharedSecret: 'long-enough-secret-value' } })).resolves.toBeUndefined();
	});

	test('16 characters are enough', async () => {
		const served = await serve({ downloadVideo: false, verification: 'sharedSecret', sharedSecret: 'sixteen-chars-16' });
		expect((await client.post(`${served.url}?token=sixteen-chars-16`, { status: 'finished' })).status).toBe(200);
		expect(served.started()).toHaveLength(1);
	});
});

describe("Colossyan's request is answered whatever the download does", () => {
	test('answered before a slow download finishes; the item gets the file afterwards', async () => {
		const served = await serve({ allowedHosts: '127.0.0.1' });
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), { status: 'finished', url: `${internal.baseUrl}/slow.mp4` });
		expect(answer.status).toBe(200);
		expect(served.started()).toHaveLength(0);
		await slowFileRequested();
		expect(served.started()).toHaveLength(0);
		internal.releaseSlow();
		await served.settled();
		expect((await binaryBuffer(onlyItem(served).binary?.data as never)).length).toBe(2048);
	});

	test('a file host that never answers fails the item within the timeouts set in Options (retries included)', async () => {
		const served = await serve({ allowedHosts: '127.0.0.1', options: { responseTimeoutSeconds: 1, stallTimeoutSeconds: 1 } });
		const started = Date.now();
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), { status: 'finished', url: `${internal.baseUrl}/slow.mp4` });
		expect(answer.status).toBe(200);
		await served.settled();
		expect(Date.now() - started).toBeLessThan(20_000);
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json.downloadError).toMatch(/did not answer GET \/slow\.mp4 within 1 s/);
	});

	test('a stalled body fails the item within the timeouts set in Options, and the event is kept', async () => {
		const served = await serve({ allowedHosts: '127.0.0.1', options: { responseTimeoutSeconds: 1, stallTimeoutSeconds: 1 } });
		const started = Date.now();
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), { status: 'finished', url: `${internal.baseUrl}/stall.mp4` });
		expect(answer.status).toBe(200);
		await served.settled();
		expect(Date.now() - started).toBeLessThan(10_000);
		const item = onlyItem(served);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'finished', state: 'done' });
		expect(item.json.downloadError).toMatch(/did not complete/);
	});
});
