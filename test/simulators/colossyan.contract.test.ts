/**
 * The Colossyan simulator against the documented contract (API-CONTRACT.md,
 * colossyan-receiving-video.txt), over plain HTTP.
 */
import { bearer, client, getBuffer } from '../helpers/http';
import { Receiver } from '../helpers/receiver';
import { sha256 } from '../helpers/zip';
import { ACTORS, ColossyanSimulator, MAXIMUM_PROGRESS, videoSeed } from './colossyan/ColossyanSimulator';
import { videoBuffer } from './common/videoBytes';

const TOKEN = 'col_contract_token_A';
const OTHER = 'col_contract_token_B';

let sim: ColossyanSimulator;
let api: string;
let receiver: Receiver;

const creative = {
	settings: { name: 'Welcome Anna', videoSize: { width: 1920, height: 1080 } },
	scenes: [{ name: 'Intro', tracks: [{ type: 'actor', actor: 'karen', text: 'Hello Anna!', speakerId: 'voice-karen-en' }] }],
};

beforeEach(async () => {
	sim = new ColossyanSimulator({ renderMs: 100_000, videoSizeBytes: 50_000 });
	await sim.start();
	sim.addWorkspace(TOKEN);
	sim.addWorkspace(OTHER);
	sim.addTemplate(TOKEN, 'tmpl_onboarding', 'Onboarding');
	api = sim.apiUrl;
	receiver = new Receiver();
	await receiver.start();
});
afterEach(async () => {
	await sim.stop();
	await receiver.stop();
});

test('401 without a valid token', async () => {
	expect((await client.get(`${api}/assets/actors`)).status).toBe(401);
	expect((await client.get(`${api}/assets/actors`, bearer('wrong'))).status).toBe(401);
});

test('actors and voices', async () => {
	const actors = await client.get(`${api}/assets/actors`, bearer(TOKEN));
	expect(actors.data).toEqual(ACTORS);
	expect(actors.data[0]).toEqual(expect.objectContaining({ name: 'karen', display_name: 'Karen', default_voice: expect.any(String) }));
	expect((await client.get(`${api}/assets/voices`, bearer(TOKEN))).data.length).toBeGreaterThan(0);
});

test('a creative job walks the status machine with progress, then the video is public', async () => {
	const created = await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN));
	expect(created.status).toBe(200);
	expect(created.data).toEqual({ id: expect.any(String), videoId: expect.any(String) });
	const { id, videoId } = created.data;
	const seen: string[] = [];
	let lastProgress = -1;
	for (let step = 0; step <= 10; step++) {
		const job = (await client.get(`${api}/video-generation-jobs/${id}`, bearer(TOKEN))).data;
		if (seen[seen.length - 1] !== job.status) seen.push(job.status);
		expect(job.maximumProgress).toBe(MAXIMUM_PROGRESS);
		expect(job.progress).toBeGreaterThanOrEqual(lastProgress);
		expect(job.videoId).toBe(videoId);
		expect(job.videoCreative).toEqual(creative);
		lastProgress = job.progress;
		sim.clock.advance(10_000);
	}
	expect(seen).toEqual(['in_queue', 'preprocessing', 'preprocessing_finished', 'generating', 'finished']);
	expect(lastProgress).toBe(MAXIMUM_PROGRESS);

	const video = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	expect(video).toMatchObject({ id: videoId, jobId: id, name: 'Welcome Anna', videoSizeBytes: 50_000, publicUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/videos\//) });
	const file = await getBuffer(video.publicUrl);
	expect(file.status).toBe(200);
	expect(sha256(file.data)).toBe(sha256(videoBuffer(videoSeed(videoId), 50_000)));
	expect(sim.files.requests[0].headers.authorization).toBeUndefined();
});

test('before it finishes the video has no publicUrl and the file host has no file', async () => {
	const { videoId } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	const video = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	expect(video.publicUrl).toBeNull();
	expect((await client.get(`${sim.files.baseUrl}/videos/${videoId}.mp4`)).status).toBe(404);
});

test('template job: templateJobId and dynamicVariables required; unknown template is 404', async () => {
	const ok = await client.post(`${api}/video-generation-jobs/template-jobs`, { templateJobId: 'tmpl_onboarding', dynamicVariables: { name: 'Anna' } }, bearer(TOKEN));
	expect(ok.status).toBe(200);
	expect(sim.job(ok.data.id)?.name).toBe('Onboarding');
	expect((await client.post(`${api}/video-generation-jobs/template-jobs`, { dynamicVariables: {} }, bearer(TOKEN))).status).toBe(400);
	expect((await client.post(`${api}/video-generation-jobs/template-jobs`, { templateJobId: 'tmpl_onboarding' }, bearer(TOKEN))).status).toBe(400);
	expect((await client.post(`${api}/video-generation-jobs/template-jobs`, { templateJobId: 'nope', dynamicVariables: {} }, bearer(TOKEN))).status).toBe(404);
	expect((await client.post(`${api}/video-generation-jobs/template-jobs`, { templateJobId: 'tmpl_onboarding', dynamicVariables: {} }, bearer(OTHER))).status).toBe(404);
});

test('invalid creatives are 400 with a message', async () => {
	for (const videoCreative of [undefined, {}, { scenes: [] }, { scenes: [{ tracks: [{ type: 'hologram' }] }] }, { scenes: [{ tracks: [{ type: 'actor', text: ' ' }] }] }]) {
		const res = await client.post(`${api}/video-generation-jobs`, { videoCreative }, bearer(TOKEN));
		expect(res.status).toBe(400);
		expect(res.data.message).toEqual(expect.any(String));
	}
});

test('jobs of another workspace are 404; cancel answers 200 with no body and the job is deleted', async () => {
	const { id } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	expect((await client.get(`${api}/video-generation-jobs/${id}`, bearer(OTHER))).status).toBe(404);
	const cancel = await client.delete(`${api}/video-generation-jobs/${id}`, { ...bearer(TOKEN), responseType: 'text' });
	expect(cancel.status).toBe(200);
	expect(cancel.data).toBe('');
	expect((await client.get(`${api}/video-generation-jobs/${id}`, bearer(TOKEN))).data.status).toBe('deleted');
});

test('callback (failures calling back too, a switch): a real POST with url, videoUrl, shareUrl, status and the merged payload and variables', async () => {
	sim.callbackOn = 'end';
	const creativeJob = await client.post(
		`${api}/video-generation-jobs`,
		{ videoCreative: creative, callback: `${receiver.url}/hook?t=1`, callbackPayload: { orderId: 'A-17' }, dynamicVariables: { name: 'Anna' } },
		bearer(TOKEN),
	);
	sim.outcomeOf = () => 'failed';
	const templateJob = await client.post(
		`${api}/video-generation-jobs/template-jobs`,
		{ templateJobId: 'tmpl_onboarding', dynamicVariables: { name: 'Ben' }, callbackUrl: `${receiver.url}/tmpl`, callbackPayload: { row: 4 } },
		bearer(TOKEN),
	);
	sim.clock.advance(100_000);
	await sim.settleCallbacks();
	expect(receiver.received).toHaveLength(2);
	const byPath = Object.fromEntries(receiver.received.map((r) => [r.path, r.body as Record<string, unknown>]));
	expect(byPath['/hook?t=1']).toMatchObject({ status: 'finished', orderId: 'A-17', name: 'Anna', url: expect.stringContaining(creativeJob.data.videoId), videoUrl: expect.any(String), shareUrl: expect.any(String) });
	expect(byPath['/tmpl']).toMatchObject({ status: 'failed', row: 4, name: 'Ben', url: null });
	expect(sim.callbacks.map((c) => c.status)).toEqual([200, 200]);
	expect(templateJob.status).toBe(200);
});

test('callbacks by default, as documented: a finished job calls back, a failed one never does', async () => {
	const post = async (path: string) =>
		(await client.post(`${api}/video-generation-jobs`, { videoCreative: creative, callback: `${receiver.url}${path}` }, bearer(TOKEN))).data as { id: string };
	const finished = await post('/finished');
	sim.outcomeOf = () => 'failed';
	const failed = await post('/failed');
	sim.clock.advance(100_000);
	await sim.settleCallbacks();
	expect(receiver.received.map((r) => r.path)).toEqual(['/finished']);
	expect((await client.get(`${api}/video-generation-jobs/${failed.id}`, bearer(TOKEN))).data.status).toBe('failed');
	expect((await client.get(`${api}/video-generation-jobs/${finished.id}`, bearer(TOKEN))).data.status).toBe('finished');
});
