/** Get Status, Download Video, Download Zip, Get Many and Get Credits through n8n's engine. */
import { binaryBuffer, binaryStream } from '../harness/engine';
import { videoBuffer, videoSha256 } from '../simulators/common/videoBytes';
import { VIDEO_RETENTION_MS, videoSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { peakGrowth } from '../helpers/memory';
import { readZip, sha256 } from '../helpers/zip';
import { KEY, OTHER_KEY, useRotateProduct } from './fixture';

const rp = useRotateProduct({ videoSizeBytes: 300_000 });

function ready(count: number, externalId?: (i: number) => string | undefined) {
	return rp.sim.seed(
		KEY,
		Array.from({ length: count }, (_v, i) => ({ imageUrl: `https://a.example/${i}.jpg`, externalId: externalId?.(i) })),
		{ renderMs: 0 },
	);
}

describe('Get Status', () => {
	test('raw status and normalised state in each vocabulary', async () => {
		const [done] = ready(1);
		const [running] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const [canceled] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/c.jpg' }], { renderMs: 0, outcome: 'canceled' });
		rp.sim.vocabulary = 'status';
		const { items } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: '={{ $json.id }}' }, [
			{ id: done.id },
			{ id: String(running.id) },
			{ id: canceled.id },
		]);
		expect(items.map((item) => [item.json.status, item.json.state])).toEqual([
			['succeeded', 'done'],
			['processing', 'running'],
			['canceled', 'failed'],
		]);
		expect(items[0].json).toEqual({ id: done.id, externalId: null, state: 'done', status: 'succeeded', createdAt: expect.any(String), updatedAt: expect.any(String) });
	});

	test('bad ids are item errors naming the item, before any request', async () => {
		const { items } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: '={{ $json.id }}' }, [{ id: 'abc' }, { id: '-1' }, { id: '' }], { continueOnFail: true });
		expect(items.map((item) => item.json.error)).toEqual([
			'"abc" is not a generation ID in item 0',
			'"-1" is not a generation ID in item 1',
			'No generation ID in item 2',
		]);
		expect(rp.sim.requests).toHaveLength(0);
	});

	test('another account\'s generation is not found', async () => {
		const [theirs] = rp.sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/x.jpg' }]);
		const { error } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: String(theirs.id) });
		expect(error?.message).toBe(`Not found: no generation ${theirs.id} in this account`);
	});
});

describe('Download Video', () => {
	const download = { resource: 'generation', operation: 'downloadVideo', generationId: '={{ $json.id }}' };

	test('the mp4 lands in binary data, named from the sanitised external id', async () => {
		const [named, plain] = ready(2, (i) => (i === 0 ? 'Blue mug/2' : undefined));
		const { items, error } = await rp.run({ ...download, binaryPropertyName: 'video' }, [{ id: named.id }, { id: plain.id }]);
		expect(error).toBeUndefined();
		expect(items[0].binary?.video).toMatchObject({ fileName: 'Blue_mug_2.mp4', mimeType: 'video/mp4', fileExtension: 'mp4' });
		expect(items[1].binary?.video?.fileName).toBe(`generation-${plain.id}.mp4`);
		expect(sha256(await binaryBuffer(items[0].binary?.video))).toBe(sha256(videoBuffer(videoSeed(named.id), 300_000)));
		expect(items[0].json).toMatchObject({ id: named.id, state: 'done' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	test.each([
		['61 minutes old by the server (its clock 2 h ahead of n8n)', 61, 2, true],
		['50 minutes old by the server (its clock 2 h behind n8n)', 50, -2, false],
	] as const)('a 404 on a video %s: says it probably expired only past the hour, by server time', async (_name, minutes, hours, expired) => {
		rp.sim.serverClockSkewMs = hours * 3600_000;
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/x.jpg' }], { renderMs: 0, createdAt: rp.sim.clock.now() - minutes * 60_000 });
		// The video page: 404 when the video is missing or expired.
		rp.sim.inject({ method: 'GET', path: `/api/v1/generations/${generation.id}`, fault: { kind: 'status', status: 404 } });
		const { error } = await rp.run(download, [{ id: generation.id }]);
		if (expired) expect(error?.message).toMatch(new RegExp(`generation ${generation.id}: it was created .* more than 1 hour ago, so it has probably expired`));
		else expect(error?.message).toBe(`Not found: no video for generation ${generation.id} in this account (status: completed)`);
	});

	test('a 200 MiB video streams to storage: memory does not grow with the file', async () => {
		const size = 200 * 1024 * 1024;
		const [generation] = ready(1);
		const stored = rp.sim.generation(generation.id);
		if (stored) stored.sizeBytes = size;
		const { result, rssMiB, heapMiB } = await peakGrowth(async () => await rp.run(download, [{ id: generation.id }]));
		const { items, error } = result;
		expect(error).toBeUndefined();
		const binary = items[0].binary?.data;
		expect(rssMiB).toBeLessThan(64);
		expect(heapMiB).toBeLessThan(64);
		// The stored file is the whole video, byte for byte (n8n's fileSize is a rounded text, so count).
		const hash = (await import('node:crypto')).createHash('sha256');
		let storedBytes = 0;
		for await (const chunk of await binaryStream(binary)) {
			hash.update(chunk as Buffer);
			storedBytes += (chunk as Buffer).length;
		}
		expect(storedBytes).toBe(size);
		expect(hash.digest('hex')).toBe(await videoSha256(videoSeed(generation.id), size));
	});

	test('410 after the simulated hour says the video expired', async () => {
		const [generation] = ready(1);
		rp.sim.clock.advance(VIDEO_RETENTION_MS);
		const { error } = await rp.run(download, [{ id: generation.id }]);
		expect(error?.message).toBe('Expired: RotateProduct keeps videos for 1 hour after creation');
	});

	test('a body cut short of its Content-Length (and not resumable) is an error and no binary is output', async () => {
		const [generation] = ready(1);
		rp.sim.honourRange = false;
		rp.sim.inject({ path: `/api/v1/generations/${generation.id}`, fault: { kind: 'truncate', afterBytes: 100_000 } });
		const { items, error } = await rp.run(download, [{ id: generation.id }], { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toMatch(new RegExp(`^The download of generation ${generation.id} did not complete`));
	});

	test('a video that is not ready is a clear error naming its status', async () => {
		const [running] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const { error } = await rp.run(download, [{ id: running.id }]);
		expect(error?.message).toBe(`Generation ${running.id} is not ready yet (status: rotating)`);
		expect(rp.sim.count('GET', `/api/v1/generations/${running.id}`)).toBe(0);
	});
});

describe('Download Zip', () => {
	const zip = { resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' };

	test('250 ids → 3 archives of at most 100, with the right entries and skipped lists', async () => {
		const generations = ready(248, (i) => `p-${i}`);
		const [rendering] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const [foreign] = rp.sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/f.jpg' }], { renderMs: 0 });
		const input = [...generations.map((g) => ({ id: g.id })), { id: rendering.id }, { id: foreign.id }];
		const { items, error } = await rp.run(zip, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(rp.sim.count('POST', '/api/v1/generations/download')).toBe(3);
		expect(items.map((item) => (item.json.requested as number[]).length)).toEqual([100, 100, 50]);
		expect(items[2].json).toMatchObject({ skippedNotReady: [rendering.id], skippedNotFound: [foreign.id] });
		expect(items[2].json.included).toHaveLength(48);
		expect(items[0].pairedItem).toHaveLength(100);
		const entries = await readZip(await binaryBuffer(items[0].binary?.data));
		expect(entries.map((e) => e.name)).toEqual(generations.slice(0, 100).map((_g, i) => `p-${i}.mp4`));
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'application/zip', fileName: expect.stringMatching(/^rotateproduct-\d{4}-\d{2}-\d{2}T\d{6}-100-videos\.zip$/) });
	});

	test('250 ids in one archive assembled in n8n: stored entries, API naming rules, skipped lists', async () => {
		rp.sim.videoSizeBytes = 20_000;
		const generations = ready(248, (i) => (i === 5 ? 'p-4' : i === 7 ? undefined : `p-${i}`));
		const [rendering] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const [foreign] = rp.sim.seed(OTHER_KEY, [{ imageUrl: 'https://a.example/f.jpg' }], { renderMs: 0 });
		const input = [...generations.map((g) => ({ id: g.id })), { id: rendering.id }, { id: foreign.id }];
		const { items, error } = await rp.run({ ...zip, archiveMode: 'single' }, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(rp.sim.count('POST', '/api/v1/generations/download')).toBe(0);
		expect(items[0].json).toMatchObject({ skippedNotReady: [rendering.id], skippedNotFound: [foreign.id] });
		expect(items[0].json.included).toEqual(generations.map((g) => g.id));
		expect(items[0].pairedItem).toHaveLength(250);
		const entries = await readZip(await binaryBuffer(items[0].binary?.data));
		expect(entries).toHaveLength(248);
		expect(entries.every((e) => e.compressionMethod === 0 && e.size === 20_000)).toBe(true);
		expect(entries[4].name).toBe('p-4.mp4');
		expect(entries[5].name).toBe(`p-4-${generations[5].id}.mp4`);
		expect(entries[7].name).toBe(`generation-${generations[7].id}.mp4`);
		expect(entries[7].sha256).toBe(sha256(videoBuffer(videoSeed(generations[7].id), 20_000)));
		// Status look-ups went through the list endpoint, not one call per id.
		expect(rp.sim.count('GET', /\/status$/)).toBeLessThanOrEqual(2);
	});

	test('a video cut short inside the assembled archive fails the archive, no binary', async () => {
		rp.sim.videoSizeBytes = 20_000;
		const generations = ready(3);
		rp.sim.honourRange = false;
		rp.sim.inject({ path: `/api/v1/generations/${generations[1].id}`, fault: { kind: 'truncate', afterBytes: 5_000 } });
		const { items } = await rp.run({ ...zip, archiveMode: 'single' }, generations.map((g) => ({ id: g.id })), { continueOnFail: true });
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toMatch(/^The download of the zip of 3 videos did not complete/);
		// The error names the entry that broke: its generation and its name in the archive.
		expect(items[0].json.error).toContain(`generation ${generations[1].id} (entry generation-${generations[1].id}.mp4): `);
	});

	test('the server zip is named by the package (date-time and count), never by its Content-Disposition', async () => {
		const [generation] = ready(1);
		rp.sim.zipDisposition = () => `attachment; filename="fallback.zip"; filename*=UTF-8''caf%C3%A9-clips.zip`;
		const { items, error } = await rp.run(zip, [{ id: generation.id }]);
		expect(error).toBeUndefined();
		expect(items[0].json.fileName).toMatch(/^rotateproduct-\d{4}-\d{2}-\d{2}T\d{6}-1-video\.zip$/);
		expect(items[0].binary?.data.fileName).toBe(items[0].json.fileName);
	});

	test('duplicates are de-duplicated; a comma-separated list works', async () => {
		const [a, b] = ready(2, (i) => `d-${i}`);
		const { items } = await rp.run({ ...zip, generationIds: `${a.id}, ${b.id},${a.id}` }, [{}]);
		expect(items[0].json.requested).toEqual([a.id, b.id]);
		expect((rp.sim.matching('POST', '/api/v1/generations/download')[0].body as { videoIds: number[] }).videoIds).toEqual([a.id, b.id]);
	});

	test('bad ids (abc, -1, empty) are item errors naming the item, before any request', async () => {
		const { error } = await rp.run(zip, [{ id: 'abc' }]);
		expect(error?.message).toBe('"abc" is not a generation ID in item 0');
		const { items } = await rp.run(zip, [{ id: '-1' }, { id: '' }], { continueOnFail: true });
		expect(items.map((item) => item.json.error)).toEqual(['"-1" is not a generation ID in item 0', 'No generation IDs in item 1']);
		expect(rp.sim.requests).toHaveLength(0);
	});

	test('nothing downloadable is a clear error, or an error item with Continue On Fail', async () => {
		const [running] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/r.jpg' }]);
		const { error } = await rp.run(zip, [{ id: running.id }]);
		expect(error?.message).toBe('None of the 1 generations can be downloaded yet');
		const { items } = await rp.run(zip, [{ id: running.id }], { continueOnFail: true });
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.error).toBe('None of the 1 generations can be downloaded yet');
	});

	test('Wait for Ready waits for rendering generations before zipping', async () => {
		rp.sim.renderMs = 1500;
		const pending = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg', externalId: 'w-1' }]);
		const { items, error } = await rp.run({ ...zip, waitForReady: true, pollIntervalSeconds: 1 }, [{ id: pending[0].id }]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ included: [pending[0].id], skippedNotReady: [] });
	});
});

describe('Get Many and Get Credits', () => {
	test('Get Many pages through 100 at a time up to the limit; Return All reads everything', async () => {
		ready(230);
		const limited = await rp.run({ resource: 'generation', operation: 'list', returnAll: false, limit: 150 });
		expect(limited.items).toHaveLength(150);
		expect(rp.sim.count('GET', '/api/v1/generations')).toBe(2);
		const all = await rp.run({ resource: 'generation', operation: 'list', returnAll: true });
		expect(all.items).toHaveLength(230);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(230);
	});

	test('Get Credits', async () => {
		rp.sim.addAccount('rp_small_account_1', 42);
		const { items } = await rp.run({ resource: 'account', operation: 'getCredits' }, undefined, { key: 'rp_small_account_1' });
		expect(items[0].json).toEqual({ userId: expect.any(String), credits: 42, generationsAffordable: 8 });
	});
});
