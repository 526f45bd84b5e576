/**
 * Colossyan Get Status, Cancel, Get/Download/Delete Video, Download Zip, List
 * Avatars/Voices, Create Instant Avatar, expiry (404 and 410), transport.
 */
import { createHash } from 'node:crypto';

import { allText } from '../harness/secrets';
import { binaryBuffer, binaryStream } from '../harness/engine';
import { videoBuffer, videoSha256 } from '../simulators/common/videoBytes';
import { ACTORS, subtitlesOf, videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { peakGrowth } from '../helpers/memory';
import { readZip, sha256 } from '../helpers/zip';
import { avatarVideo, JOBS, OTHER_TOKEN, TOKEN, useColossyan } from './fixture';
import { loadOptions } from '../harness/engine';

const SIZE = 120_000;
const col = useColossyan({ videoSizeBytes: SIZE, renderMs: 100_000 });

const bytesOf = (videoId: string, size = SIZE) => videoBuffer(videoSeed(videoId), size);

describe('Get Status and Cancel', () => {
	const getStatus = { resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' };

	test('raw status, normalised state and progress in percent as the job runs', async () => {
		col.sim.clock.freeze();
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
		const jobId = created[0].json.jobId as string;
		const states: unknown[] = [];
		for (const advance of [0, 67_500, 40_000]) {
			col.sim.clock.advance(advance);
			const { items } = await col.run(getStatus, [{ jobId }]);
			states.push([items[0].json.status, items[0].json.state, items[0].json.progressPercent]);
		}
		expect(states).toEqual([
			['in_queue', 'running', 0],
			['generating', 'running', 50],
			['finished', 'done', 100],
		]);
	});

	test('Cancel deletes the job; its status is then deleted (failed)', async () => {
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
		const { items } = await col.run({ resource: 'job', operation: 'cancel', jobId: '={{ $json.jobId }}' }, created.map((i) => i.json));
		expect(items[0].json).toEqual({ jobId: created[0].json.jobId, canceled: true });
		expect(col.sim.count('DELETE', `${JOBS}/${String(created[0].json.jobId)}`)).toBe(1);
		const { items: after } = await col.run(getStatus, created.map((i) => i.json));
		expect(after[0].json).toMatchObject({ status: 'deleted', state: 'failed' });
	});

	test("another workspace's job is not found; bad ids fail before any request", async () => {
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }], { token: OTHER_TOKEN });
		col.sim.resetLog();
		const { error } = await col.run(getStatus, created.map((i) => i.json));
		expect(error?.message).toBe(`Not found: no video generation job ${String(created[0].json.jobId)} in this workspace`);
		col.sim.resetLog();
		const { items } = await col.run(getStatus, [{ jobId: '' }, { jobId: 'a/b' }], { continueOnFail: true });
		expect(items.map((i) => i.json.error)).toEqual(['No job ID in item 0', '"a/b" is not a job ID in item 1']);
		expect(col.sim.requests).toHaveLength(0);
	});
});

describe('Get Video and Download', () => {
	test('Get by job id: the video details and the job', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		const { items } = await col.run({ resource: 'video', operation: 'get', idType: 'job', id: job.id });
		expect(items[0].json).toMatchObject({ id: job.videoId, jobId: job.id, name: 'Ada', videoSizeBytes: SIZE, job: { state: 'done' } });
		expect(items[0].json.publicUrl).toBe(`${col.sim.files.baseUrl}/videos/${job.videoId}.mp4`);
	});

	test('Get and Download pass the real fields on: subtitles, shareId, folder, key, user, and flag the public URL as temporary', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		const real = { shareId: expect.any(String), folderId: expect.any(String), key: expect.any(String), userId: expect.any(String) };
		for (const operation of ['get', 'download']) {
			const { items, error } = await col.run({ resource: 'video', operation, idType: 'video', id: job.videoId });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ ...real, vttSubtitleString: subtitlesOf(job), publicUrlIsTemporary: true });
			expect(items[0].json.vttSubtitleString).toContain('Hello Ada!');
		}
	});

	test('a video without a file yet is not flagged: publicUrl null, no publicUrlIsTemporary', async () => {
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
		const { items } = await col.run({ resource: 'video', operation: 'get', idType: 'video', id: created[0].json.videoId as string });
		expect(items[0].json.publicUrl).toBeNull();
		expect(items[0].json).not.toHaveProperty('publicUrlIsTemporary');
	});

	test('Download by job id and by video id: the exact bytes, named from the video, without the token at the file host', async () => {
		const [ada, plain] = await col.finishedJobs(['Ada Lovelace/intro', 'x']);
		plain.name = ''; // e.g. a creative without settings.name
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: '={{ $json.by }}', id: '={{ $json.id }}', binaryPropertyName: 'video' }, [
			{ by: 'job', id: ada.id },
			{ by: 'video', id: plain.videoId },
		]);
		expect(error).toBeUndefined();
		expect(items[0].binary?.video).toMatchObject({ fileName: 'Ada_Lovelace_intro.mp4', mimeType: 'video/mp4' });
		expect(items[1].binary?.video?.fileName).toBe(`video-${plain.videoId}.mp4`);
		expect(sha256(await binaryBuffer(items[0].binary?.video))).toBe(sha256(bytesOf(ada.videoId)));
		expect(sha256(await binaryBuffer(items[1].binary?.video))).toBe(sha256(bytesOf(plain.videoId)));
		expect(col.sim.files.requests).toHaveLength(2);
		expect(col.sim.files.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
	});

	test('a job not finished yet: an error naming its status and progress, and no file request', async () => {
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
		col.sim.clock.advance(67_500);
		const { error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: created[0].json.jobId as string });
		expect(error?.message).toBe(`Job ${String(created[0].json.jobId)} is not finished yet (status: generating, 50% done)`);
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test('a failed job says so', async () => {
		col.sim.outcomeOf = () => 'failed';
		const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
		col.sim.end(created[0].json.jobId as string, 'failed');
		const { error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: created[0].json.jobId as string });
		expect(error?.message).toBe(`Job ${String(created[0].json.jobId)} failed: it has no video`);
	});

	test('a body cut short of its length (and not resumable) is an error, never a truncated binary', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.honourRange = false;
		col.sim.files.inject({ fault: { kind: 'truncate', afterBytes: 50_000 } });
		const { error, items } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^The download of video vid_\w+ did not complete/);
	});

	test('a 200 MiB video streams to storage: heap and RSS growth stay under 64 MiB', async () => {
		const size = 200 * 1024 * 1024;
		const [job] = await col.finishedJobs(['Big']);
		job.sizeBytes = size;
		const { result, rssMiB, heapMiB } = await peakGrowth(
			async () => await col.run({ resource: 'video', operation: 'download', idType: 'video', id: job.videoId }),
		);
		const { items, error } = result;
		expect(error).toBeUndefined();
		expect(rssMiB).toBeLessThan(64);
		expect(heapMiB).toBeLessThan(64);
		const hash = createHash('sha256');
		for await (const chunk of await binaryStream(items[0].binary?.data)) hash.update(chunk as Buffer);
		expect(hash.digest('hex')).toBe(await videoSha256(videoSeed(job.videoId), size));
	});
});

describe('Download Zip', () => {
	const zip = { resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.jobId }}' };

	test('5 ids: one not ready, one unknown, two with the same name -> entries read back, skipped lists right', async () => {
		const [first, second, other] = await col.finishedJobs(['Welcome Ada', 'Welcome Ada', 'Bob']);
		const { items: running } = await col.run(avatarVideo, [{ name: 'Zed' }]);
		const notReady = running[0].json.jobId as string;
		const input = [first.id, second.id, other.id, notReady, 'job_unknown'].map((jobId) => ({ jobId }));
		const { items, error } = await col.run(zip, [...input, { jobId: first.id }]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			included: [first.id, second.id, other.id],
			skippedNotReady: [notReady],
			skippedNotFound: ['job_unknown'],
			requested: [first.id, second.id, other.id, notReady, 'job_unknown'],
		});
		expect(items[0].pairedItem).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		const binary = items[0].binary?.data;
		expect(binary).toMatchObject({ mimeType: 'application/zip', fileName: expect.stringMatching(/^colossyan-\d{4}-\d\d-\d\dT\d{6}-\d+-videos?\.zip$/) });
		const entries = await readZip(await binaryBuffer(binary));
		expect(entries.map((entry) => entry.name)).toEqual(['Welcome_Ada.mp4', `Welcome_Ada-${second.videoId}.mp4`, 'Bob.mp4']);
		expect(entries.map((entry) => entry.compressionMethod)).toEqual([0, 0, 0]);
		expect(entries.map((entry) => entry.sha256)).toEqual([first, second, other].map((job) => sha256(bytesOf(job.videoId))));
		expect(col.sim.files.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	test('nothing downloadable is a clear error listing why', async () => {
		const { items: running } = await col.run(avatarVideo, [{ name: 'Zed' }]);
		const { error } = await col.run(zip, [{ jobId: running[0].json.jobId }, { jobId: 'job_unknown' }]);
		expect(error?.message).toBe('None of the 2 videos can be downloaded yet');
		expect((error as { description?: string }).description).toContain('Not found in this workspace (or expired, or deleted): job_unknown');
	});

	test('an entry cut short fails the zip instead of storing a broken archive', async () => {
		await col.finishedJobs(['A', 'B']).then(async (jobs) => {
			col.sim.files.honourRange = false;
			col.sim.files.inject({ fault: { kind: 'truncate', afterBytes: 10_000 }, path: `/videos/${jobs[1].videoId}.mp4` });
			const { error, items } = await col.run(zip, jobs.map((job) => ({ jobId: job.id })));
			expect(items).toHaveLength(0);
			expect(error?.message).toMatch(/^The download of the zip of 2 videos did not complete/);
			// The error names the entry that broke: its video and its name in the archive.
			expect(error?.message).toContain(`video ${jobs[1].videoId} (entry B.mp4): `);
		});
	});

	test('each entry asks for a fresh public URL right before its file: a URL handed out while planning may have expired', async () => {
		const jobs = await col.finishedJobs(['A', 'B', 'C']);
		col.sim.clock.freeze();
		col.sim.publicUrlTtlMs = 1000;
		// Every answer about a video takes 600 ms of simulated time: a URL from planning is stale by the time its file is fetched.
		col.sim.reportVideo = (view) => {
			col.sim.clock.advance(600);
			return view;
		};
		const { items, error } = await col.run(zip, jobs.map((job) => ({ jobId: job.id })));
		expect(error).toBeUndefined();
		expect(items[0].json.included).toEqual(jobs.map((job) => job.id));
		expect(col.sim.files.requests.map((request) => request.status)).toEqual([200, 200, 200]);
	});

	test('empty id lists are item errors; with Continue On Fail the rest is zipped', async () => {
		const [job] = await col.finishedJobs(['A']);
		const { items } = await col.run(zip, [{ jobId: '' }, { jobId: job.id }], { continueOnFail: true });
		expect(items.map((item) => item.json.error ?? item.json.included)).toEqual(['No job IDs in item 0', [job.id]]);
	});
});

describe('assets and transport', () => {
	test('List Avatars and List Voices output one item per entry', async () => {
		const { items } = await col.run({ resource: 'asset', operation: 'listAvatars' });
		expect(items.map((item) => item.json)).toEqual(ACTORS);
		const { items: voices } = await col.run({ resource: 'asset', operation: 'listVoices' });
		expect(voices).toHaveLength(4);
	});

	test('429 with Retry-After and a 503 are retried; the answer arrives', async () => {
		col.sim.inject({ path: '/api/v1/assets/actors', fault: { kind: 'status', status: 429, retryAfter: '1' } });
		col.sim.inject({ path: '/api/v1/assets/actors', fault: { kind: 'status', status: 503 } });
		const { items, error } = await col.run({ resource: 'asset', operation: 'listAvatars' });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(col.sim.count('GET', '/api/v1/assets/actors')).toBe(3);
	});

	test('a paid POST that may have been processed (502 after it) is not retried: no second charge', async () => {
		col.sim.inject({ method: 'POST', path: JOBS, fault: { kind: 'statusAfterProcessing', status: 502 } });
		const { error } = await col.run(avatarVideo, [{ name: 'A' }]);
		expect(error).toBeDefined();
		expect(col.sim.count('POST', JOBS)).toBe(1);
	});

	test('a wrong token: the message names the credential, the token appears nowhere', async () => {
		const { error } = await col.run({ resource: 'asset', operation: 'listAvatars' }, undefined, { token: 'col_wrong_token_leak_check' });
		expect(error?.message).toBe('Colossyan rejected the API token: Unauthorized');
		expect(allText(error)).not.toContain('col_wrong_token_leak_check');
	});
});

describe.each([404, 410] as const)('an expired video (the API answers %i)', (status) => {
	beforeEach(() => {
		col.sim.expiredStatus = status;
	});

	test('Download and Get by job ID say it is gone and what to do; no file request', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.expireVideo(job.videoId);
		for (const operation of ['download', 'get']) {
			const { error } = await col.run({ resource: 'video', operation, idType: 'job', id: job.id });
			expect(error?.message).toBe(`Video ${job.videoId} is gone: it has probably expired or been deleted (Colossyan answered ${status})`);
			expect((error as { description?: string }).description).toMatch(/Download the file as soon as the video is finished.*generate it again/);
		}
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test('Download by video ID: expired or unknown, it says so (an unknown 404 may also be a wrong ID)', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.expireVideo(job.videoId);
		const { error } = await col.run({ resource: 'video', operation: 'download', idType: 'video', id: job.videoId });
		expect(error?.message).toBe(
			status === 410
				? `Video ${job.videoId} is gone: it has probably expired or been deleted (Colossyan answered 410)`
				: `Video ${job.videoId} was not found: it has probably expired or been deleted, or the ID belongs to another workspace`,
		);
	});

	test('an expired public URL: the file host answers the same status and the error says it probably expired', async () => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.publicUrlTtlMs = 0;
		const { error, items } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(items).toHaveLength(0);
		expect(col.sim.files.requests.map((request) => request.status)).toEqual([status]);
		expect(error?.message).toBe(`The file of video ${job.videoId} is gone from its public URL: it has probably expired (the file host ${new URL(col.sim.files.baseUrl).origin} answered status ${status})`);
		expect((error as { description?: string }).description).toContain('Run the node again for a fresh link');
	});

	test('Download Zip lists an expired video as not found and zips the rest', async () => {
		const [gone, kept] = await col.finishedJobs(['Gone', 'Kept']);
		col.sim.expireVideo(gone.videoId);
		const { items, error } = await col.run({ resource: 'video', operation: 'downloadZip', idType: 'video', ids: `${gone.videoId},${kept.videoId}` });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ included: [kept.videoId], skippedNotFound: [gone.videoId] });
	});
});

describe('Delete Video', () => {
	const remove = { resource: 'video', operation: 'delete', idType: '={{ $json.by }}', id: '={{ $json.id }}' };

	test.each(['empty', 'message'] as const)('by video ID and by job ID (DELETE answers %s): deleted, and the video is gone afterwards', async (answer) => {
		col.sim.deleteAnswer = answer;
		const [ada, bob] = await col.finishedJobs(['Ada', 'Bob']);
		const { items, error } = await col.run(remove, [{ by: 'video', id: ada.videoId }, { by: 'job', id: bob.id }]);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			{ videoId: ada.videoId, deleted: true },
			{ jobId: bob.id, videoId: bob.videoId, deleted: true },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(col.sim.matching('DELETE', /generated-videos/).map((request) => request.path)).toEqual([`/api/v1/generated-videos/${ada.videoId}`, `/api/v1/generated-videos/${bob.videoId}`]);
		const { error: after } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: bob.id });
		expect(after?.message).toBe(`Video ${bob.videoId} is gone: it has probably expired or been deleted (Colossyan answered 404)`);
		expect(col.sim.files.requests).toHaveLength(0);
	});

	test('a second delete, or another workspace\'s video: a clear not-found error, per item with Continue On Fail', async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		await col.run(remove, [{ by: 'video', id: ada.videoId }]);
		const { items } = await col.run(remove, [{ by: 'video', id: ada.videoId }], { continueOnFail: true });
		expect(items[0].json.error).toBe(`Video ${ada.videoId} was not found: it has probably expired or been deleted, or the ID belongs to another workspace`);
		const [bob] = await col.finishedJobs(['Bob']);
		const { error } = await col.run(remove, [{ by: 'video', id: bob.videoId }], { token: OTHER_TOKEN });
		expect(error?.message).toBe(`Video ${bob.videoId} was not found: it has probably expired or been deleted, or the ID belongs to another workspace`);
		expect(col.sim.job(bob.id)?.videoDeleted).toBeUndefined();
	});

	test('bad IDs are item errors before any request', async () => {
		const input = [{ by: 'video', id: '' }, { by: 'video', id: '../assets/actors' }, { by: 'job', id: 'a/b' }, { by: 'video', id: 'x?y=1' }];
		const { items } = await col.run(remove, input, { continueOnFail: true });
		expect(items.map((item) => item.json.error)).toEqual([
			'No video ID in item 0',
			'"../assets/actors" is not a video ID in item 1',
			'"a/b" is not a job ID in item 2',
			'"x?y=1" is not a video ID in item 3',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(col.sim.requests).toHaveLength(0);
	});

	test("the delete goes to the job's own video, never elsewhere, when a job names a hostile video ID", async () => {
		const [ada] = await col.finishedJobs(['Ada']);
		const job = col.sim.job(ada.id);
		if (job) job.videoId = '../video-generation-jobs/x';
		const { error } = await col.run(remove, [{ by: 'job', id: ada.id }]);
		expect(error?.message).toMatch(/is not a video ID/);
		expect(col.sim.count('DELETE', /.*/)).toBe(0);
	});

	test('Cancel works under both readings of its answer too (no body, or { message })', async () => {
		for (const answer of ['empty', 'message'] as const) {
			col.sim.deleteAnswer = answer;
			const { items: created } = await col.run(avatarVideo, [{ name: 'A' }]);
			const { items, error } = await col.run({ resource: 'job', operation: 'cancel', jobId: '={{ $json.jobId }}' }, created.map((i) => i.json));
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual({ jobId: created[0].json.jobId, canceled: true });
		}
	});
});

describe('Create Instant Avatar', () => {
	const create = {
		resource: 'asset',
		operation: 'createInstantAvatar',
		displayName: '={{ $json.displayName }}',
		sourceFileUrl: '={{ $json.url }}',
		gender: '={{ $json.gender }}',
	};
	const AVATARS = '/api/v1/assets/actors';

	test('creates the avatar; the next node uses its name as the avatar of Generate', async () => {
		const { items, error } = await col.run(create, [{ displayName: ' Ada (sales) ', url: 'https://cdn.example/ada.mp4', gender: 'female' }]);
		expect(error).toBeUndefined();
		expect(col.sim.matching('POST', AVATARS).map((request) => request.body)).toEqual([
			{ displayName: 'Ada (sales)', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' },
		]);
		const name = col.sim.instantAvatars[0].name;
		expect(items).toEqual([{ json: { name, displayName: 'Ada (sales)', sourceFileUrl: 'https://cdn.example/ada.mp4', gender: 'Female' }, pairedItem: { item: 0 } }]);
		const generated = await col.run({ ...avatarVideo, avatar: '={{ $json.name }}', videoName: 'Intro' }, items.map((item) => item.json));
		expect(generated.error).toBeUndefined();
		const sent = col.sim.allJobs()[0].request as { videoCreative: { scenes: Array<{ tracks: Array<{ type: string; actor?: string }> }> } };
		expect(sent.videoCreative.scenes[0].tracks.find((track) => track.type === 'actor')?.actor).toBe(name);
	});

	test('the simulator refuses an actor it does not know (so the test above proves the name works)', async () => {
		const { error } = await col.run({ ...avatarVideo, avatar: 'instant_nobody' }, [{ name: 'A' }]);
		expect(error?.message).toBe('Colossyan refused the request: Unknown actor instant_nobody');
	});

	test('listed in the Avatar dropdown when Colossyan lists Instant Avatars', async () => {
		col.sim.listInstantAvatars = true;
		await col.run(create, [{ displayName: 'Ada', url: 'https://cdn.example/ada.mp4', gender: 'Female' }]);
		const avatars = await loadOptions({ type: 'colossyan', parameters: avatarVideo }, 'getAvatars', { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } });
		expect(avatars.find((option) => option.name === 'Ada')).toEqual({ name: 'Ada', value: col.sim.instantAvatars[0].name, description: 'Female' });
	});

	test('bad fields are item errors naming the field, before any request', async () => {
		const ok = { displayName: 'Ada', url: 'https://cdn.example/ada.mp4', gender: 'Male' };
		const input = [
			{ ...ok, displayName: '  ' },
			{ ...ok, url: '' },
			{ ...ok, url: 'ftp://cdn.example/ada.mp4' },
			{ ...ok, url: 'cdn.example/ada.mp4' },
			{ ...ok, gender: 'other' },
			{ ...ok, gender: '' },
		];
		const { items } = await col.run(create, input, { continueOnFail: true });
		expect(items.map((item) => item.json.error)).toEqual([
			'Display Name is empty in item 0',
			'Source Video URL is empty in item 1',
			'Source Video URL in item 2 is not an http(s) URL: "ftp://cdn.example/ada.mp4"',
			'Source Video URL in item 3 is not an http(s) URL: "cdn.example/ada.mp4"',
			'Gender in item 4 is not Male or Female: "other"',
			'Gender in item 5 is not Male or Female: ""',
		]);
		expect(items.map((item) => item.json.errorDescription)).toEqual(Array(6).fill(expect.stringContaining('Nothing was sent to Colossyan')));
		expect(col.sim.requests).toHaveLength(0);
	});

	test('a lost answer (502 after Colossyan made it) is not sent again: no second avatar', async () => {
		col.sim.inject({ method: 'POST', path: AVATARS, fault: { kind: 'statusAfterProcessing', status: 502 } });
		const { error } = await col.run(create, [{ displayName: 'Ada', url: 'https://cdn.example/ada.mp4', gender: 'Male' }]);
		expect(error).toBeDefined();
		expect(col.sim.count('POST', AVATARS)).toBe(1);
		expect((error as { description?: string }).description).toMatch(/not sent again/);
	});
});

describe('every way a video can be gone, under both readings of expiry', () => {
	type Gone = 'expired' | 'deleted' | 'urlExpired';
	const cases = (['get', 'download', 'downloadZip', 'delete'] as const).flatMap((operation) =>
		(['job', 'video'] as const).flatMap((idType) =>
			(['expired', 'deleted', 'urlExpired'] as Gone[]).flatMap((gone) => ([404, 410] as const).map((status) => ({ operation, idType, gone, status }))),
		),
	);

	test(`${cases.length} cases: no binary for a gone video, and every failure says it probably expired`, async () => {
		for (const { operation, idType, gone, status } of cases) {
			col.sim.expiredStatus = status;
			col.sim.publicUrlTtlMs = 60 * 60 * 1000;
			const [job] = await col.finishedJobs(['Gone']);
			if (gone === 'expired') col.sim.expireVideo(job.videoId);
			if (gone === 'deleted') Object.assign(job, { videoDeleted: true });
			if (gone === 'urlExpired') col.sim.publicUrlTtlMs = 0;
			const id = idType === 'job' ? job.id : job.videoId;
			const parameters = operation === 'downloadZip' ? { resource: 'video', operation, idType, ids: id } : { resource: 'video', operation, idType, id };
			const { items, error } = await col.run(parameters);
			const label = `${operation} by ${idType}, ${gone}, ${status}`;
			const hasFile = items.some((item) => item.binary !== undefined);
			if (gone === 'urlExpired' && (operation === 'get' || operation === 'delete')) {
				// Nothing is fetched from the public URL: these succeed.
				expect([label, error]).toEqual([label, undefined]);
				continue;
			}
			expect([label, hasFile]).toEqual([label, false]);
			const said = `${error?.message ?? ''} ${(error as { description?: string } | undefined)?.description ?? ''}`;
			expect([label, said]).toEqual([label, expect.stringMatching(/expired/)]);
			expect([label, said]).toEqual([label, expect.not.stringMatching(/answered with status/)]);
		}
	});
});
