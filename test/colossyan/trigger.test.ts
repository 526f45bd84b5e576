/**
 * The Colossyan Trigger served like n8n's webhook server, receiving the
 * simulator's real callback POSTs for jobs the Colossyan node created.
 */
import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import { binaryBuffer } from '../harness/engine';
import type { ServedWebhook } from '../harness/webhook';
import { serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import { sha256 } from '../helpers/zip';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { avatarVideo, OTHER_TOKEN, TEMPLATE, TOKEN, useColossyan } from './fixture';

const col = useColossyan({ videoSizeBytes: 90_000 });
let hook: ServedWebhook | undefined;
afterEach(async () => await hook?.stop());

async function serve(parameters: Record<string, unknown> = {}, urlKind: 'production' | 'test' = 'production'): Promise<ServedWebhook> {
	hook = await serveWebhook(
		{ type: 'colossyanTrigger', parameters: { events: ['finished', 'failed'], ...parameters } },
		{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
		urlKind,
	);
	return hook;
}

/** Creates a job through the Colossyan node with the trigger's URL as Callback URL, ends it, waits for the callback. */
async function jobCallingBack(url: string, outcome: 'finished' | 'failed' = 'finished', token = TOKEN): Promise<string> {
	const { items, error } = await col.run(
		{
			...avatarVideo,
			callbackUrl: url,
			variablesInput: 'json',
			dynamicVariablesJson: '{"firstName": "Ada"}',
			options: { callbackPayload: '{"formEntry": 42}' },
		},
		[{ name: 'Ada' }],
		{ token },
	);
	if (error) throw error;
	const jobId = String(items[0].json.jobId);
	col.sim.end(jobId, outcome);
	await col.sim.settleCallbacks();
	return jobId;
}

describe('callbacks of jobs created by the Colossyan node start the workflow', () => {
	test('finished: status, state, URLs, payload and variables, time received', async () => {
		const served = await serve();
		const jobId = await jobCallingBack(served.url);
		const job = col.sim.job(jobId);
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([200]);
		const [workflow] = served.started();
		expect(workflow).toHaveLength(1);
		expect(workflow[0][0].json).toEqual({
			status: 'finished',
			state: 'done',
			url: `${col.sim.files.baseUrl}/videos/${job?.videoId}.mp4`,
			videoUrl: `https://app.colossyan.example/share/${job?.videoId}`,
			shareUrl: `https://app.colossyan.example/share/${job?.videoId}`,
			formEntry: 42,
			firstName: 'Ada',
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
	});

	test('failed (when Colossyan calls back on failure, which it does not document): state failed; a template job\'s callbackUrl works the same', async () => {
		col.sim.callbackOn = 'end';
		const served = await serve();
		const { items } = await col.run({ resource: 'job', operation: 'generate', generateMode: 'template', templateJobId: TEMPLATE, callbackUrl: served.url });
		col.sim.end(String(items[0].json.jobId), 'failed');
		await col.sim.settleCallbacks();
		expect(served.started().map((workflow) => [workflow[0][0].json.status, workflow[0][0].json.state])).toEqual([['failed', 'failed']]);
	});

	test('by default (as documented) a failed job never calls back: the trigger starts nothing', async () => {
		const served = await serve({ events: ['finished', 'failed'] });
		await jobCallingBack(served.url, 'failed');
		expect(col.sim.callbacks).toHaveLength(0);
		expect(served.started()).toHaveLength(0);
	});

	test("the editor's test URL works the same (test mode), and still refuses forged calls", async () => {
		const served = await serve({}, 'test');
		expect(served.url).toMatch(/\/webhook-test\//);
		await jobCallingBack(served.url);
		expect(served.started().map((workflow) => workflow[0][0].json.state)).toEqual(['done']);
		expect((await client.post(served.url, { status: 'finished' })).status).toBe(401);
	});

	test('an event not selected is acknowledged (200) and starts nothing', async () => {
		col.sim.callbackOn = 'end';
		const served = await serve({ events: ['finished'] });
		await jobCallingBack(served.url, 'failed');
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([200]);
		expect(served.started()).toHaveLength(0);
	});

	test('Download Video attaches the exact bytes, fetched without the API token', async () => {
		// The simulators listen on 127.0.0.1, which only an allow-listed host may be.
		const served = await serve({ downloadVideo: true, binaryPropertyName: 'video', allowedHosts: '127.0.0.1' });
		const jobId = await jobCallingBack(served.url);
		await served.settled();
		const [workflow] = served.started();
		const binary = workflow[0][0].binary?.video;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `video-${col.sim.job(jobId)?.videoId}.mp4` });
		expect(sha256(await binaryBuffer(binary))).toBe(sha256(videoBuffer(videoSeed(String(col.sim.job(jobId)?.videoId)), 90_000)));
		expect(col.sim.files.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
	});
});

describe('forged callbacks get 401, reveal nothing and start nothing', () => {
	const forged = { status: 'finished', url: 'https://evil.example/x.mp4' };

	test.each([
		['no signature', (url: string) => url],
		['a wrong signature', (url: string) => `${url}?n8nNonce=AAAAAAAAAAAAAAAAAAAAAA&n8nSignature=forged`],
		['a signature made with another token', (url: string) => signCallbackUrl(url, OTHER_TOKEN)],
		['a nonce of a real job with another signature', (url: string) => signCallbackUrl(url, TOKEN).replace(/n8nSignature=[^&]+/, 'n8nSignature=' + 'A'.repeat(43))],
	])('%s', async (_name, urlOf) => {
		const served = await serve({ downloadVideo: true });
		const response = await client.post(urlOf(served.url), forged);
		expect(response.status).toBe(401);
		expect(response.data).toEqual({ message: 'Unauthorized' });
		expect(served.started()).toHaveLength(0);
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test('a job created with another credential calls back and is refused', async () => {
		const served = await serve();
		await jobCallingBack(served.url, 'finished', OTHER_TOKEN);
		expect(col.sim.callbacks.map((delivery) => delivery.status)).toEqual([401]);
		expect(served.started()).toHaveLength(0);
	});
});

describe('bad bodies', () => {
	test('a body that is not a JSON object, or has no status, gets 400 with a short reason', async () => {
		const served = await serve();
		const signed = signCallbackUrl(served.url, TOKEN);
		const answers = [
			await client.post(signed, 'hello', { headers: { 'content-type': 'text/plain' } }),
			await client.post(signed, { url: 'https://x.example/v.mp4' }),
			await client.post(signed, [{ status: 'finished' }]),
			await client.post(signed, { status: 42 }),
		];
		expect(answers.map((answer) => [answer.status, answer.data])).toEqual(
			Array(4).fill([400, { message: 'Expected a JSON object with a "status" field' }]),
		);
		expect(served.started()).toHaveLength(0);
	});

	test("malformed JSON never reaches the node: n8n's body parser answers 422", async () => {
		const served = await serve();
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), Buffer.from('{"status": "fini'), { headers: { 'content-type': 'application/json' } });
		expect(answer.status).toBe(422);
		expect(served.started()).toHaveLength(0);
	});

	test('an oversized body is refused with 413', async () => {
		const served = await serve();
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), { status: 'finished', padding: 'x'.repeat(2 * 1024 * 1024) });
		expect(answer.status).toBe(413);
		expect(served.started()).toHaveLength(0);
	});

	test('unknown extra fields are passed through', async () => {
		const served = await serve();
		const answer = await client.post(signCallbackUrl(served.url, TOKEN), { status: 'finished', url: null, newField: { nested: [1, 2] } });
		expect(answer.status).toBe(200);
		expect(served.started()[0][0][0].json).toMatchObject({ status: 'finished', state: 'done', newField: { nested: [1, 2] } });
	});
});

describe('jobs created outside n8n: a shared secret in the URL', () => {
	test('the right secret is accepted; a wrong or missing one gets 401', async () => {
		const served = await serve({ verification: 'sharedSecret', sharedSecret: 's3cret-value-long-enough' });
		const body = { status: 'finished', url: null };
		expect((await client.post(`${served.url}?token=s3cret-value-long-enough`, body)).status).toBe(200);
		expect((await client.post(`${served.url}?token=s3cret-value-long-enougH`, body)).status).toBe(401);
		expect((await client.post(`${served.url}?token=s3cret`, body)).status).toBe(401);
		expect((await client.post(served.url, body)).status).toBe(401);
		expect(served.started()).toHaveLength(1);
	});

	test('an empty configured secret accepts nothing', async () => {
		const served = await serve({ verification: 'sharedSecret', sharedSecret: '={{ "" }}' });
		expect((await client.post(`${served.url}?token=`, { status: 'finished' })).status).toBe(401);
	});
});
