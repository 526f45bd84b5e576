/**
 * The Colossyan simulator against the documented contract (API-CONTRACT.md,
 * colossyan-receiving-video.txt), over plain HTTP.
 */
import { bearer, client, getBuffer } from '../helpers/http';
import { Receiver } from '../helpers/receiver';
import { sha256 } from '../helpers/zip';
import { ACTORS, ColossyanSimulator, FLAT_VOICES, MAXIMUM_PROGRESS, VOICES, videoSeed } from './colossyan/ColossyanSimulator';
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

test('actors and voices: bare arrays in the documented shapes', async () => {
	const actors = await client.get(`${api}/assets/actors`, bearer(TOKEN));
	expect(actors.data).toEqual(ACTORS);
	for (const actor of actors.data) {
		expect(Object.keys(actor).sort()).toEqual(['default_voice', 'display_name', 'features', 'gender', 'name', 'preview_url', 'type', 'version', 'views']);
		expect(['Male', 'Female']).toContain(actor.gender);
	}
	const voices = (await client.get(`${api}/assets/voices`, bearer(TOKEN))).data;
	expect(voices).toEqual(VOICES);
	for (const voice of voices) {
		expect(Object.keys(voice).sort()).toEqual(['ages', 'characters', 'displayName', 'features', 'genders', 'isClonedVoice', 'languages', 'name', 'sample', 'scenarios', 'style']);
		expect(voice).not.toHaveProperty('id');
	}
	const ids = ACTORS.map((actor) => actor.default_voice);
	expect(ids.every((id) => voices.some((voice: { name: string }) => voice.name === id))).toBe(true);
});

test('switches: the older flat voice shape, lists wrapped in { data }', async () => {
	sim.voiceShape = 'flat';
	expect((await client.get(`${api}/assets/voices`, bearer(TOKEN))).data).toEqual(FLAT_VOICES);
	sim.assetLists = 'wrapped';
	expect((await client.get(`${api}/assets/actors`, bearer(TOKEN))).data).toEqual({ data: ACTORS });
});

test('Instant Avatar: 201 { name }, refused without displayName, an http(s) sourceFileUrl or gender Male|Female; usable as actor at once', async () => {
	const body = { displayName: 'Ada', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' };
	for (const bad of [{ displayName: '' }, { displayName: undefined }, { sourceFileUrl: 'ftp://x/y.mp4' }, { sourceFileUrl: undefined }, { gender: 'female' }, { gender: 'Other' }]) {
		const res = await client.post(`${api}/assets/actors`, { ...body, ...bad }, bearer(TOKEN));
		expect(res.status).toBe(400);
		expect(res.data.message).toEqual(expect.any(String));
	}
	expect(sim.instantAvatars).toHaveLength(0);
	const created = await client.post(`${api}/assets/actors`, body, bearer(TOKEN));
	expect(created.status).toBe(201);
	expect(created.data).toEqual({ name: expect.any(String) });
	// Not listed by default (the docs); listed with the switch, to its own workspace only.
	expect((await client.get(`${api}/assets/actors`, bearer(TOKEN))).data).toEqual(ACTORS);
	sim.listInstantAvatars = true;
	expect((await client.get(`${api}/assets/actors`, bearer(TOKEN))).data.map((a: { name: string }) => a.name)).toContain(created.data.name);
	expect((await client.get(`${api}/assets/actors`, bearer(OTHER))).data).toEqual(ACTORS);
	const withActor = (actor: string) => ({ ...creative, scenes: [{ name: 'Intro', tracks: [{ type: 'actor', actor, text: 'Hi' }] }] });
	expect((await client.post(`${api}/video-generation-jobs`, { videoCreative: withActor(created.data.name) }, bearer(TOKEN))).status).toBe(200);
	expect((await client.post(`${api}/video-generation-jobs`, { videoCreative: withActor(created.data.name) }, bearer(OTHER))).status).toBe(400);
	expect((await client.post(`${api}/video-generation-jobs`, { videoCreative: withActor('nobody') }, bearer(TOKEN))).status).toBe(400);
});

test('a job carries creationDate, folderId, isAPIGenerated, userId and its videoCreative; a video its shareId, folderId, key, userId, subtitles', async () => {
	const { id, videoId } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	const job = (await client.get(`${api}/video-generation-jobs/${id}`, bearer(TOKEN))).data;
	expect(job).toMatchObject({ creationDate: expect.any(String), folderId: expect.any(String), isAPIGenerated: true, userId: expect.any(String), videoCreative: creative });
	expect(Number.isNaN(Date.parse(job.creationDate))).toBe(false);
	sim.clock.advance(100_000);
	const video = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	expect(video).toMatchObject({ shareId: expect.any(String), folderId: job.folderId, key: expect.any(String), userId: job.userId });
	expect(video.vttSubtitleString).toMatch(/^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:01\.000\nHello Anna!\n$/);
});

test('publicUrl is temporary: it stops working after publicUrlTtlMs; a new GET hands out a working one', async () => {
	sim.publicUrlTtlMs = 60_000;
	const { videoId } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	sim.clock.advance(100_000);
	const { publicUrl } = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	expect((await getBuffer(publicUrl)).status).toBe(200);
	sim.clock.advance(60_000);
	expect((await getBuffer(publicUrl)).status).toBe(404);
	sim.expiredStatus = 410;
	expect((await getBuffer(publicUrl)).status).toBe(410);
	await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN));
	expect((await getBuffer(publicUrl)).status).toBe(200);
});

test.each([404, 410] as const)('an expired video answers %i at the API (GET and DELETE) and at its file URL', async (status) => {
	sim.expiredStatus = status;
	const { videoId } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	sim.clock.advance(100_000);
	const { publicUrl } = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	sim.expireVideo(videoId);
	expect((await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).status).toBe(status);
	expect((await client.delete(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).status).toBe(status);
	expect((await getBuffer(publicUrl)).status).toBe(status);
});

test.each(['empty', 'message'] as const)('DELETE /generated-videos/:id answers 200 (%s); the video and its file are then 404; other workspaces cannot', async (answer) => {
	sim.deleteAnswer = answer;
	const { videoId } = (await client.post(`${api}/video-generation-jobs`, { videoCreative: creative }, bearer(TOKEN))).data;
	sim.clock.advance(100_000);
	const { publicUrl } = (await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).data;
	expect((await client.delete(`${api}/generated-videos/${videoId}`, bearer(OTHER))).status).toBe(404);
	const deleted = await client.delete(`${api}/generated-videos/${videoId}`, { ...bearer(TOKEN), responseType: 'text' });
	expect(deleted.status).toBe(200);
	expect(deleted.data).toBe(answer === 'empty' ? '' : JSON.stringify({ message: 'Generated video deleted' }));
	expect((await client.get(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).status).toBe(404);
	expect((await client.delete(`${api}/generated-videos/${videoId}`, bearer(TOKEN))).status).toBe(404);
	expect((await getBuffer(publicUrl)).status).toBe(404);
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
