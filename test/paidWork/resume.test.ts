/**
 * A video body that breaks mid-way is resumed with Range from the byte reached:
 * the stored file is complete (sha256) after exactly 2 requests; a server that
 * does not answer 206 with the right Content-Range fails the item, nothing stored.
 */
import { createHash } from 'node:crypto';

import { binaryStream } from '../harness/engine';
import { videoSha256 } from '../simulators/common/videoBytes';
import { videoSeed as colossyanSeed } from '../simulators/colossyan/ColossyanSimulator';
import { videoSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { useColossyan } from '../colossyan/fixture';
import { KEY, useRotateProduct } from '../rotateproduct/fixture';

const SIZE = 50 * 1024 * 1024;
const POINTS: Array<[string, number]> = [
	['10 %', Math.floor(SIZE * 0.1)],
	['50 %', Math.floor(SIZE * 0.5)],
	['99 %', Math.floor(SIZE * 0.99)],
];

/** The resume starts at the byte the client received: at most what the server sent before the cut. */
function expectResumedNear(range: string | string[] | undefined, sentBytes: number): void {
	const from = Number(/^bytes=(\d+)-$/.exec(String(range))?.[1]);
	expect(from).toBeGreaterThan(0);
	expect(from).toBeLessThanOrEqual(sentBytes);
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

describe('RotateProduct Download Video', () => {
	const rp = useRotateProduct({ videoSizeBytes: SIZE });

	test.each(POINTS)('a reset at %s: complete file, right sha256, 2 requests', async (_name, afterBytes) => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/a.jpg', externalId: 'mug' }], { renderMs: 0 });
		const path = `/api/v1/generations/${generation.id}`;
		rp.sim.inject({ path, fault: { kind: 'truncate', afterBytes } });
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: generation.id });
		expect(error).toBeUndefined();
		expect(await sha256Of(await binaryStream(items[0].binary?.data))).toBe(await videoSha256(videoSeed(generation.id), SIZE));
		const requests = rp.sim.matching('GET', path);
		expect(requests).toHaveLength(2);
		expectResumedNear(requests[1].headers.range, afterBytes);
	});

	test('a server that answers the Range request with the whole file (200) fails the item, nothing stored', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/a.jpg' }], { renderMs: 0 });
		rp.sim.honourRange = false;
		rp.sim.inject({ path: `/api/v1/generations/${generation.id}`, fault: { kind: 'truncate', afterBytes: 1_000_000 } });
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: generation.id }, undefined, {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toMatch(/did not complete/);
		expect(rp.sim.count('GET', `/api/v1/generations/${generation.id}`)).toBe(2);
	});

	test('a body that keeps breaking is resumed at most 3 times, then fails', async () => {
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/a.jpg' }], { renderMs: 0 });
		const path = `/api/v1/generations/${generation.id}`;
		rp.sim.inject({ path, times: 10, fault: { kind: 'truncate', afterBytes: 1_000_000 } });
		const { items } = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: generation.id }, undefined, {
			continueOnFail: true,
		});
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toMatch(/did not complete/);
		expect(rp.sim.count('GET', path)).toBe(4);
	});
});

describe('Colossyan Download Video', () => {
	const col = useColossyan({ videoSizeBytes: SIZE });

	test.each(POINTS)('a reset at %s: complete file, right sha256, 2 file requests', async (_name, afterBytes) => {
		const [job] = await col.finishedJobs(['Ada']);
		col.sim.files.inject({ fault: { kind: 'truncate', afterBytes } });
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(error).toBeUndefined();
		expect(await sha256Of(await binaryStream(items[0].binary?.data))).toBe(await videoSha256(colossyanSeed(job.videoId), SIZE));
		expect(col.sim.files.requests).toHaveLength(2);
		expectResumedNear(col.sim.files.requests[1].headers.range, afterBytes);
	});
});
