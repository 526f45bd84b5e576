/**
 * Hostile ids and names, from fields, API answers and headers, never produce a
 * path separator, a `.`/`..` segment or a control character in any name n8n
 * gets (binary fileName, json.fileName, zip entries); ids that are not plain
 * are item errors before any request, in both nodes.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryBuffer } from '../harness/engine';
import { readZip } from '../helpers/zip';
import { useColossyan } from '../colossyan/fixture';
import { KEY, useRotateProduct } from '../rotateproduct/fixture';

const col = useColossyan({ videoSizeBytes: 2_000 });
const rp = useRotateProduct({ videoSizeBytes: 2_000 });

const HOSTILE_IDS = ['..', '.', '...', '../../x', '..\\..\\x', 'a/b', 'a\\b', 'a\u0000b', 'a\nb', '%2e%2e', '%2F', 'x?y', 'x#y', ' ', '', 'a\u2215b', 'a\uff0fb', 'job\u200b1', 'job 1', 'ｊｏｂ'];
const HOSTILE_NAMES = ['../../etc/passwd', '..', '.', '.hidden', 'a/b\\c', 'a\u0000b\u001fc\u007f', 'evil\u202egnp.mp4', 'x'.repeat(600), 'CON.', '   ', '', 'NUL', 'con', 'COM1', 'LPT9', 'a\u2215b', 'c\uff0fd\uff3ce', '%2e%2e%2f', '\u{1F600}'.repeat(200)];

/** A name n8n may write to a disk or a zip: one plain segment, bounded, no controls. */
function expectSafeName(name: unknown): void {
	expect(typeof name).toBe('string');
	const text = name as string;
	// Separators and the look-alikes some tools fold into them.
	expect(text).not.toMatch(/[/\\\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/);
	// Nothing a consumer could URL-decode into a separator or dot segment, no Windows device name.
	expect(text).not.toMatch(/%/);
	expect(text).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
	expect(Buffer.byteLength(text)).toBeLessThanOrEqual(255);
	// eslint-disable-next-line no-control-regex
	expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
	expect(text).not.toMatch(/^\.|\.\.|^\s|[.\s]$/);
	expect(text.length).toBeGreaterThan(0);
	expect(text.length).toBeLessThanOrEqual(150);
}

function namesIn(item: INodeExecutionData): unknown[] {
	const files = (item.json.files as IDataObject[] | undefined) ?? [];
	return [item.json.fileName, ...Object.values(item.binary ?? {}).map((binary) => binary.fileName), ...files.map((file) => file.fileName)].filter(
		(name) => name !== undefined,
	);
}

describe('Colossyan: hostile video ids and names from the API', () => {
	test('zip entries, json files and binary names are all plain and unique regardless of case', async () => {
		const jobs = await col.finishedJobs(HOSTILE_NAMES.map((_name, i) => `n${i}`).concat(['Intro', 'INTRO', 'intro']));
		const hostile = new Map(jobs.map((job, i) => [job.videoId, i]));
		col.sim.reportVideo = (view) => {
			const index = hostile.get(String(view.id)) ?? 0;
			if (index < HOSTILE_NAMES.length) return { ...view, name: HOSTILE_NAMES[index], id: index % 2 ? '../../x' : view.id };
			return view;
		};
		const { items, error } = await col.run({ resource: 'video', operation: 'downloadZip', idType: 'job', ids: '={{ $json.jobId }}' }, jobs.map((job) => ({ jobId: job.id })));
		expect(error).toBeUndefined();
		const entries = (await readZip(await binaryBuffer(items[0].binary?.data))).map((entry) => entry.name);
		expect(entries).toHaveLength(jobs.length);
		for (const name of [...entries, ...namesIn(items[0])]) expectSafeName(name);
		expect(new Set(entries.map((name) => name.toLowerCase())).size).toBe(entries.length);
		expect(entries.filter((name) => /^intro/i.test(name))).toEqual(['Intro.mp4', expect.stringMatching(/^INTRO-[\w-]+\.mp4$/), expect.stringMatching(/^intro-[\w-]+\.mp4$/)]);
	});

	test('a video with no name and a hostile id downloads as a plain name', async () => {
		const [job] = await col.finishedJobs(['x']);
		col.sim.reportVideo = (view) => ({ ...view, name: '', id: '../../x' });
		const { items, error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: job.id });
		expect(error).toBeUndefined();
		expect(items[0].binary?.data.fileName).toBe('video-______x.mp4');
	});

	test.each([
		['Get Status', { resource: 'job', operation: 'getStatus', jobId: '={{ $json.id }}' }],
		['Cancel', { resource: 'job', operation: 'cancel', jobId: '={{ $json.id }}' }],
		['Get Video', { resource: 'video', operation: 'get', idType: 'video', id: '={{ $json.id }}' }],
		['Download Video', { resource: 'video', operation: 'download', idType: 'job', id: '={{ $json.id }}' }],
		['Download Zip', { resource: 'video', operation: 'downloadZip', idType: 'video', ids: '={{ [$json.id] }}' }],
	])('%s: ids that are not plain are item errors before any request', async (_name, parameters) => {
		col.sim.resetLog();
		const { items } = await col.run(parameters, HOSTILE_IDS.map((id) => ({ id })), { continueOnFail: true });
		expect(items).toHaveLength(HOSTILE_IDS.length);
		for (const item of items) expect(item.json.error).toMatch(/(is not a|No) (job|video) ID/);
		expect(col.sim.requests).toHaveLength(0);
	});

	test('an id the API itself reports that is not plain is never put in a path', async () => {
		const { items: created } = await col.run({ resource: 'job', operation: 'generate', generateMode: 'avatar', avatar: 'karen', voice: 'voice-karen-en', script: 'Hi' });
		const jobId = String(created[0].json.jobId);
		col.sim.end(jobId);
		const job = col.sim.job(jobId);
		if (job) job.videoId = '..';
		col.sim.resetLog();
		const { error } = await col.run({ resource: 'video', operation: 'download', idType: 'job', id: jobId });
		expect(error?.message).toBe('".." is not a video ID');
		expect(col.sim.requests.map((request) => request.path)).toEqual([`/api/v1/video-generation-jobs/${jobId}`]);
	});
});

describe('RotateProduct: hostile Content-Disposition and ids', () => {
	// The package names the server's zip itself: no Content-Disposition, however hostile, becomes a name.
	const archiveName = /^rotateproduct-\d{4}-\d{2}-\d{2}T\d{6}-1-video\.zip$/;
	test.each([
		"filename*=UTF-8''..%2F..%2Fx",
		"filename*=UTF-8''%2E%2E",
		'filename="..\\\\..\\\\evil.zip"',
		"filename*=UTF-8''a%00b%0Ac.zip",
		"filename*=UTF-8''%2Fetc%2Fpasswd",
		"filename*=UTF-8''%E2%88%95etc%EF%BC%8Fpasswd",
		'filename="%2e%2e%2fx.zip"',
		'filename="NUL.zip"',
		"filename*=UTF-8''" + encodeURIComponent('\u{1F600}'.repeat(150)) + '.zip',
	].map((disposition) => [disposition.slice(0, 60), disposition] as const))('server zip named %s: binary and json fileName are the package\'s own, plain', async (_label, disposition) => {
		const generations = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/0.jpg' }], { renderMs: 0 });
		rp.sim.zipDisposition = () => `attachment; ${disposition}`;
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}' }, generations.map((g) => ({ id: g.id })));
		expect(error).toBeUndefined();
		for (const name of namesIn(items[0])) {
			expectSafeName(name);
			expect(name).toMatch(archiveName);
		}
		expect(namesIn(items[0]).length).toBeGreaterThan(0);
	});

	test('external ids with separators and dots make plain entry names in an archive assembled in n8n', async () => {
		const generations = rp.sim.seed(KEY, ['../../x', '..', 'A/B', 'a/b', '.env'].map((externalId, i) => ({ imageUrl: `https://a.example/${i}.jpg`, externalId })), { renderMs: 0 });
		const { items, error } = await rp.run({ resource: 'generation', operation: 'downloadZip', generationIds: '={{ $json.id }}', archiveMode: 'single' }, generations.map((g) => ({ id: g.id })));
		expect(error).toBeUndefined();
		const entries = (await readZip(await binaryBuffer(items[0].binary?.data))).map((entry) => entry.name);
		expect(entries).toHaveLength(5);
		for (const name of [...entries, ...namesIn(items[0])]) expectSafeName(name);
		expect(new Set(entries.map((name) => name.toLowerCase())).size).toBe(5);
	});

	test('generation ids that are not plain are item errors before any request', async () => {
		rp.sim.resetLog();
		const { items } = await rp.run({ resource: 'generation', operation: 'getStatus', generationId: '={{ $json.id }}' }, HOSTILE_IDS.map((id) => ({ id })), { continueOnFail: true });
		for (const item of items) expect(item.json.error).toMatch(/is not a generation ID|^No generation ID/);
		expect(rp.sim.requests).toHaveLength(0);
	});
});
