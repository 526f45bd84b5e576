/** Colossyan Get Status, Cancel, Get/Download Video, Download Zip, List Avatars/Voices, transport. */
import { createHash } from 'node:crypto';

import { allText } from '../harness/secrets';
import { binaryBuffer, binaryStream } from '../harness/engine';
import { videoBuffer, videoSha256 } from '../simulators/common/videoBytes';
import { ACTORS, videoSeed } from '../simulators/colossyan/ColossyanSimulator';
import { peakGrowth } from '../helpers/memory';
import { readZip, sha256 } from '../helpers/zip';
import { avatarVideo, JOBS, OTHER_TOKEN, useColossyan } from './fixture';

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
		expect((error as { description?: string }).description).toContain('Not found in this workspace: job_unknown');
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
