/**
 * A file host's refusal is worded as the file host's, never as the API key's: a
 * 401/403/404 from Colossyan's public file host (the node's download and the
 * trigger's), and from a CDN a RotateProduct download was redirected to, says who
 * answered and what to do about the link, and speaks of no API key or token.
 */
import type { IDataObject } from 'n8n-workflow';

import { signCallbackUrl } from '../../nodes/Colossyan/helpers/callbackToken';
import type { ServedWebhook } from '../harness/webhook';
import { serveWebhook } from '../harness/webhook';
import { client } from '../helpers/http';
import { ForeignOrigin } from '../simulators/common/foreignOrigin';
import { TOKEN, useColossyan } from '../colossyan/fixture';
import { KEY, useRotateProduct } from '../rotateproduct/fixture';

const STATUSES = [401, 403, 404];
const ABOUT_THE_CREDENTIAL = /\b(api[ -]?key|api[ -]?token|token|credential)\b/i;

function expectFileHostWording(text: { message?: string; description?: string }, status: number): void {
	expect(text.message).toMatch(/file host http:\/\/127\.0\.0\.1:\d+/);
	expect(text.message).toMatch(new RegExp(`status ${status}`));
	expect(text.message).not.toMatch(ABOUT_THE_CREDENTIAL);
	expect(text.description ?? '').not.toMatch(ABOUT_THE_CREDENTIAL);
	expect(text.description).toMatch(/link/);
}

describe("Colossyan's public file host", () => {
	const col = useColossyan({ videoSizeBytes: 5_000, renderMs: 100_000 });
	let hook: ServedWebhook | undefined;
	afterEach(async () => await hook?.stop());

	test.each(STATUSES)('a %d to Download Video is the file host refusing, not the token', async (status) => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.inject({ times: 10, fault: { kind: 'status', status } });
		const { error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(error).toBeDefined();
		expectFileHostWording(error as { message: string; description?: string }, status);
	});

	test.each(STATUSES)("a %d to the trigger's download is the file host refusing, not the token", async (status) => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.inject({ times: 10, fault: { kind: 'status', status } });
		hook = await serveWebhook(
			{ type: 'colossyanTrigger', parameters: { events: ['finished'], downloadVideo: true, allowedHosts: '127.0.0.1' } },
			{ colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } },
			'production',
		);
		expect((await client.post(signCallbackUrl(hook.url, TOKEN), { status: 'finished', videoId: job.videoId })).status).toBe(200);
		await hook.settled();
		const item = hook.started()[0][0][0] as { json: IDataObject };
		expect(item.json.downloadError).toMatch(/file host/);
		expect(item.json.downloadError).not.toMatch(ABOUT_THE_CREDENTIAL);
	});
});

describe('a CDN a RotateProduct download was redirected to', () => {
	const rp = useRotateProduct({ videoSizeBytes: 5_000 });
	const cdn = new ForeignOrigin();
	beforeEach(async () => await cdn.start());
	afterEach(async () => {
		await cdn.stop();
		cdn.answerStatus = undefined;
	});

	test.each(STATUSES)('a %d from the CDN is the file host refusing, not the API key', async (status) => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		rp.sim.inject({ path: `/api/v1/generations/${generation.id}`, times: 10, fault: { kind: 'redirect', location: `${cdn.baseUrl}/cdn/${generation.id}.mp4` } });
		cdn.answerStatus = status;
		const { error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id) });
		expect(error).toBeDefined();
		expectFileHostWording(error as { message: string; description?: string }, status);
	});
});
