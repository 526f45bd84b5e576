/**
 * A resumed body is the same body: a download broken 1-3 times at random byte
 * counts, while the file stays the same, changes between attempts (the server
 * honours If-Range and sends the new file whole), changes under a server that
 * ignores If-Range (a 206 of the right range from the new file), or comes
 * without any validator. The stored file is byte-identical to the simulator's
 * video, or the item fails with an error that says why; never a spliced or
 * short file. Both video hosts: RotateProduct's API and Colossyan's file host.
 * Seeded: set RESUME_SWEEP_SEED to replay a run.
 *
 * Plus the answers that are not a whole file to begin with: a 206 (part) to a
 * plain GET, a 200 with Content-Length 0, a file whose length is not the size
 * the service reported.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { binaryBuffer } from '../harness/engine';
import { bearer, client, getBuffer } from '../helpers/http';
import type { Fault } from '../simulators/common/faults';
import type { SimulatorServer } from '../simulators/common/server';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed as colossyanSeed } from '../simulators/colossyan/ColossyanSimulator';
import { videoSeed as rotateProductSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { TOKEN, useColossyan } from '../colossyan/fixture';
import { KEY, useRotateProduct } from '../rotateproduct/fixture';
import { seededRandom, sweepSeed } from '../helpers/seeded';

const SEED = sweepSeed('RESUME_SWEEP_SEED', 'resumedBody');

const random = seededRandom(SEED);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const SIZE = 90_000;
const TRIALS = 6;
const FILE_CASES = ['sameFile', 'fileChanges', 'fileChangesIfRangeIgnored', 'noValidators'] as const;
type FileCase = (typeof FILE_CASES)[number];

/** What the server does on each attempt: the breaks, and where the file changes. */
function plan(fileCase: FileCase): { faults: Fault[]; story: string } {
	const breaks = between(1, 3);
	const cuts = new Set<number>();
	while (cuts.size < breaks) cuts.add(between(1, SIZE - 1));
	const points = [...cuts].sort((a, b) => a - b);
	const parts = points.map((point, index) => point - (index === 0 ? 0 : points[index - 1]));
	const faults: Fault[] = parts.map((afterBytes): Fault =>
		fileCase === 'noValidators' ? { kind: 'noValidators', afterBytes } : { kind: 'truncate', afterBytes },
	);
	if (fileCase === 'fileChanges' || fileCase === 'fileChangesIfRangeIgnored') {
		// The file changes on one of the resumes (attempt 2 or later); the attempts before it break.
		const at = between(1, breaks);
		faults.splice(at, faults.length - at, { kind: 'fileChanged', ignoreIfRange: fileCase === 'fileChangesIfRangeIgnored' });
	}
	return { faults, story: `breaks after ${parts.join(', ')} bytes; faults ${JSON.stringify(faults)}` };
}

interface Outcome {
	binary?: IBinaryData;
	error?: string;
}

async function expectWholeOrClearFailure(fileCase: FileCase, outcome: Outcome, expected: Buffer, story: string): Promise<void> {
	if (fileCase === 'sameFile') {
		expect({ story, error: outcome.error }).toEqual({ story, error: undefined });
		expect((await binaryBuffer(outcome.binary)).equals(expected)).toBe(true);
		return;
	}
	expect({ story, binary: outcome.binary }).toEqual({ story, binary: undefined });
	const reason = fileCase === 'noValidators' ? /gave no ETag or Last-Modified to resume it safely/ : /the file changed on the server since the download began/;
	expect(outcome.error).toMatch(/did not complete/);
	expect(outcome.error).toMatch(reason);
}

const cases = FILE_CASES.flatMap((fileCase) => Array.from({ length: TRIALS }, (_v, trial) => [fileCase, trial + 1] as const));

describe('RotateProduct: Download Video (the API serves the file)', () => {
	const rp = useRotateProduct({ videoSizeBytes: SIZE });
	const download = async (id: number): Promise<Outcome> => {
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: String(id) }, undefined, { continueOnFail: true });
		return { binary: items[0]?.binary?.data, error: (error?.message ?? items[0]?.json.error) as string | undefined };
	};
	const video = (id: number) => videoBuffer(rotateProductSeed(id), SIZE);
	const seedOne = () => rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 })[0].id;
	const videoPath = (id: number) => `/api/v1/generations/${id}`;

	test.each(cases)('%s, trial %d', async (fileCase) => {
		const id = seedOne();
		const { faults, story } = plan(fileCase);
		for (const fault of faults) rp.sim.inject({ path: videoPath(id), fault });
		await expectWholeOrClearFailure(fileCase, await download(id), video(id), story);
		if (fileCase !== 'noValidators') expect(rp.sim.matching('GET', videoPath(id)).slice(1).every((r) => r.headers['if-range'] !== undefined)).toBe(true);
	});

	test('the simulator serves validators and honours If-Range as RFC 9110 says (mismatch: the whole file, 200)', async () => {
		const id = seedOne();
		const url = `${rp.sim.apiUrl}/generations/${id}`;
		const whole = await getBuffer(url, KEY);
		const { etag, 'last-modified': lastModified } = whole.headers as Record<string, string>;
		expect(etag).toMatch(/^"[0-9a-f]+"$/);
		expect(Date.parse(lastModified)).not.toBeNaN();
		for (const ifRange of [etag, lastModified]) {
			const part = await getBuffer(url, KEY, { Range: 'bytes=100-', 'If-Range': ifRange });
			expect([part.status, part.headers['content-range']]).toEqual([206, `bytes 100-${SIZE - 1}/${SIZE}`]);
			expect(Buffer.from(part.data).equals(video(id).subarray(100))).toBe(true);
		}
		const changed = await getBuffer(url, KEY, { Range: 'bytes=100-', 'If-Range': '"another"' });
		expect([changed.status, changed.data.byteLength]).toEqual([200, SIZE]);
		expect((await getBuffer(url, KEY, { Range: 'bytes=100-' })).status).toBe(206);
	});

	test("a resume whose own request fails says so, with that request's error, and stores nothing", async () => {
		const id = seedOne();
		rp.sim.inject({ path: videoPath(id), fault: { kind: 'truncate', afterBytes: 30_000 } });
		rp.sim.inject({ path: videoPath(id), fault: { kind: 'status', status: 404 } });
		const outcome = await download(id);
		expect(outcome.binary).toBeUndefined();
		expect(outcome.error).toMatch(/did not complete: the connection broke after 30000 bytes and resuming failed: Not found: no video for generation/);
	});

	test.each<[string, Fault, RegExp]>([
		['a 206 (part) to a plain GET', { kind: 'partialAnswer', bytes: 1_000 }, /only a part of the file \(Content-Range: bytes 0-999\/90000\)/],
		['a 200 with Content-Length 0', { kind: 'emptyBody' }, /the server sent an empty file/],
	])('%s is never stored as the video', async (_name, fault, reason) => {
		const id = seedOne();
		rp.sim.inject({ path: videoPath(id), fault });
		const outcome = await download(id);
		expect(outcome.binary).toBeUndefined();
		expect(outcome.error).toMatch(/did not complete/);
		expect(outcome.error).toMatch(reason);
	});
});

describe("Colossyan: Download Video (the public file host serves the file)", () => {
	const col = useColossyan({ videoSizeBytes: SIZE, renderMs: 100_000 });
	const download = async (jobId: string): Promise<Outcome> => {
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: jobId }, undefined, { continueOnFail: true });
		return { binary: items[0]?.binary?.data, error: (error?.message ?? items[0]?.json.error) as string | undefined };
	};
	const files = (): SimulatorServer => col.sim.files;

	test.each(cases)('%s, trial %d', async (fileCase) => {
		const [job] = await col.finishedJobs(['Ada']);
		const { faults, story } = plan(fileCase);
		for (const fault of faults) files().inject({ fault });
		await expectWholeOrClearFailure(fileCase, await download(job.id), videoBuffer(colossyanSeed(job.videoId), SIZE), story);
	});

	test.each<[string, Fault, RegExp]>([
		['a 206 (part) to a plain GET', { kind: 'partialAnswer', bytes: 1_000 }, /only a part of the file/],
		['a 200 with Content-Length 0', { kind: 'emptyBody' }, /the server sent an empty file|announced 0 bytes/],
	])('%s is never stored as the video', async (_name, fault, reason) => {
		const [job] = await col.finishedJobs(['Ada']);
		files().inject({ fault });
		const outcome = await download(job.id);
		expect(outcome.binary).toBeUndefined();
		expect(outcome.error).toMatch(reason);
	});

	test("a whole answer of another length than the video's videoSizeBytes is never stored as complete", async () => {
		const [job] = await col.finishedJobs(['Ada']);
		// Colossyan reports a larger file than its host serves: the host's answer is whole in itself, but not the video.
		const path = `/api/v1/generated-videos/${job.videoId}`;
		const { data: video } = await client.get<IDataObject>(`${new URL(col.sim.apiUrl).origin}${path}`, bearer(TOKEN));
		col.sim.inject({ path, fault: { kind: 'status', status: 200, body: { ...video, videoSizeBytes: SIZE + 1_000 } } });
		const outcome = await download(job.id);
		expect(outcome.binary).toBeUndefined();
		expect(outcome.error).toMatch(/did not complete: the server announced 90000 bytes, the file has 91000/);
	});
});
