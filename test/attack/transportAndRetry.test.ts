/**
 * Attack round 2's holes, closed (each test failed before its fix): Retry On Fail
 * with parameters that evaluate differently on each try ($now, random) pays once
 * (nodes/shared/paidLedger.ts keys a request by what it is for, not its content);
 * a compressed download is never resumed or length-checked by its encoded length
 * (http/loop.ts, resumableBody.ts); a 206 that repeats a validator must repeat the
 * first answer's, and the If-Range validator must come back (resumableBody.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import type { INodeParameters } from 'n8n-workflow';

import type { NodeUnderTest } from '../harness/engine';
import { binaryBuffer, runNode } from '../harness/engine';
import { videoBuffer } from '../simulators/common/videoBytes';
import { videoSeed } from '../simulators/rotateproduct/RotateProductSimulator';
import { resumableBody } from '../../nodes/shared/resumableBody';
import type { ApiResponse, ResponseHeaders } from '../../nodes/shared/http/types';
import { GENERATIONS, KEY, useRotateProduct } from '../rotateproduct/fixture';
import { TOKEN, useColossyan } from '../colossyan/fixture';

declare const N8N_ENGINE_LINE: string | undefined;

const SIZE = 1_000;
const CUT = 400;

/** Bytes of file version `v` (1 or 2) from `offset` on, breaking off after `breakAfter` of them. */
function fileStream(v: number, offset: number, breakAfter?: number): Readable {
	const all = Buffer.from(Array.from({ length: SIZE - offset }, (_, i) => ((offset + i) * v) % 251));
	const cut = breakAfter ?? all.length;
	return new Readable({
		read() {
			this.push(all.subarray(0, cut));
			if (cut < all.length) this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
			else this.push(null);
		},
	});
}

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/**
 * The first answer (file v1, breaks after CUT bytes) with `firstHeaders`; the resume is a 206 of
 * exactly the range asked for, but from file v2 (a server/CDN that ignores If-Range), with `resumeHeaders`.
 * Returns the stored body, or the error.
 */
async function splicedDownload(firstHeaders: ResponseHeaders, resumeHeaders: ResponseHeaders): Promise<Buffer | Error> {
	const first: ApiResponse<Readable> = {
		statusCode: 200,
		headers: { 'content-length': String(SIZE), ...firstHeaders },
		body: fileStream(1, 0, CUT),
	};
	const body = resumableBody(first, async (offset) => ({
		statusCode: 206,
		headers: { 'content-range': `bytes ${offset}-${SIZE - 1}/${SIZE}`, 'content-length': String(SIZE - offset), ...resumeHeaders },
		body: fileStream(2, offset),
	}));
	try {
		return await readAll(body);
	} catch (error) {
		return error as Error;
	}
}

const spliced = (result: Buffer | Error): boolean =>
	Buffer.isBuffer(result) && result.length === SIZE && !result.equals(Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251)));

describe('a resumed body is the same body (never spliced)', () => {
	const LM = 'Wed, 02 Dec 2026 10:00:00 GMT';

	test('a weak ETag that changes between the first answer and the 206 (same Last-Modified second) refuses the resume', async () => {
		const result = await splicedDownload({ etag: 'W/"v1"', 'last-modified': LM }, { etag: 'W/"v2"', 'last-modified': LM });
		expect(spliced(result)).toBe(false);
		expect(result).toBeInstanceOf(Error);
	});

	test('a 206 without Last-Modified, when Last-Modified was the only validator, is not taken as the same file', async () => {
		// The strong-ETag case refuses a 206 that lacks the ETag; the Last-Modified case must not be weaker.
		const result = await splicedDownload({ 'last-modified': LM }, {});
		expect(spliced(result)).toBe(false);
		expect(result).toBeInstanceOf(Error);
	});

	test('a 206 that names a strong ETag the first answer did not have (first had only Last-Modified) is another file', async () => {
		const result = await splicedDownload({ 'last-modified': LM }, { etag: '"v2"' });
		expect(spliced(result)).toBe(false);
		expect(result).toBeInstanceOf(Error);
	});
});

describe('Retry On Fail never pays twice', () => {
	const rp = useRotateProduct({ renderMs: 200 });

	test('an item whose Image URL uses $now: every try fails on its status read, yet the generation is POSTed once, not once per try', async () => {
		// The retry re-evaluates the expressions: the body differs, so the ledger's request hash misses.
		const parameters: INodeParameters = {
			resource: 'generation',
			operation: 'generate',
			imageUrl: '={{ "https://shop.example/img/1.jpg?t=" + $now.toMillis() }}',
			externalId: '={{ $json.sku }}',
			waitForCompletion: true,
			downloadVideos: false,
			pollIntervalSeconds: 1,
			waitTimeoutMinutes: 1,
		};
		rp.sim.inject({ method: 'GET', path: /^\/api\/v1\/generations(\/\d+\/status)?$/, times: 1000, fault: { kind: 'status', status: 500 } });
		const node: NodeUnderTest = { type: 'rotateProduct', parameters, retryOnFail: true, maxTries: 3, waitBetweenTries: 5 };
		await runNode({ node, input: [{ sku: 'sku-1' }], credentials: { rotateProductApi: { apiKey: KEY, baseUrl: rp.sim.apiUrl } } });
		expect(rp.sim.count('POST', GENERATIONS)).toBe(1);
	});

	const col = useColossyan({ renderMs: 200 });

	test.each([
		['a timestamp in the video name ($now)', '=Welcome {{ $json.name }} {{ $now.toISO() }}'],
		['a random suffix in the video name (Math.random())', '=Welcome {{ $json.name }} {{ Math.floor(Math.random() * 1e9) }}'],
	])('Colossyan Generate with %s: every try fails on its status read, yet the job is POSTed once, not once per try', async (_name, videoName) => {
		const parameters: INodeParameters = {
			resource: 'job',
			operation: 'generate',
			generateMode: 'avatar',
			avatar: 'karen',
			voice: 'voice-karen-en',
			script: '={{ $json.script }}',
			videoName,
			waitForCompletion: true,
			downloadVideo: false,
			pollIntervalSeconds: 1,
			waitTimeoutMinutes: 1,
		};
		col.sim.inject({ method: 'GET', path: /^\/api\/v1\/video-generation-jobs\/[^/]+$/, times: 1000, fault: { kind: 'status', status: 500 } });
		const node: NodeUnderTest = { type: 'colossyan', parameters, retryOnFail: true, maxTries: 3, waitBetweenTries: 5 };
		await runNode({ node, input: [{ name: 'Ada', script: 'Hello Ada!' }], credentials: { colossyanApi: { apiKey: TOKEN, baseUrl: col.sim.apiUrl } } });
		expect(col.sim.count('POST', '/api/v1/video-generation-jobs')).toBe(1);
	});
});

type Mode = 'whole' | 'breaksThen206Gzip' | 'breaksThen206Raw';

describe('a gzip-encoded download (Content-Encoding: gzip, Content-Length of the encoded bytes) on a CDN', () => {
	const SIZE = 40_000;
	const rp = useRotateProduct({ videoSizeBytes: SIZE });
	const VIDEO_SIZE = SIZE;
	let server: Server;
	let base = '';
	let mode: Mode = 'whole';
	let gz = Buffer.alloc(0);
	const seen: string[] = [];
	beforeEach(async () => {
		seen.length = 0;
		server = createServer((req, res) => {
			seen.push(`${req.method} ${req.url} range=${String(req.headers.range)} auth=${String(req.headers.authorization)}`);
			const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
			if (range && mode !== 'whole') {
				const start = Number(range[1]);
				const headers: Record<string, string> = { etag: '"g1"', 'content-range': `bytes ${start}-${gz.length - 1}/${gz.length}`, 'content-length': String(gz.length - start), 'content-type': 'video/mp4' };
				if (mode === 'breaksThen206Gzip') headers['content-encoding'] = 'gzip';
				res.writeHead(206, headers);
				res.end(gz.subarray(start));
				return;
			}
			res.writeHead(200, { etag: '"g1"', 'content-encoding': 'gzip', 'content-length': String(gz.length), 'content-type': 'video/mp4', 'accept-ranges': 'bytes' });
			if (mode === 'whole') res.end(gz);
			else {
				res.write(gz.subarray(0, Math.floor(gz.length / 2)));
				setTimeout(() => res.socket?.destroy(), 20);
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterEach(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

	// n8n 1.x's client hands over the decompressing stream itself, so the package sees that an answer
	// was compressed; n8n 2.x's wraps it in a plain stream and the sign is gone (docs/security.md,
	// "Known limit"): there a compressed answer is still never stored short, but a server that ignores
	// `Accept-Encoding: identity` and answers a Range with encoded bytes is outside what can be checked.
	const compressionVisible = (typeof N8N_ENGINE_LINE === 'string' ? N8N_ENGINE_LINE : '1.x') !== '2.x';
	const cases = compressionVisible ? (['whole', 'breaksThen206Raw'] as const) : (['whole'] as const);

	test.each(cases)('%s: the stored file is the video (whole answer), or the item fails; never a spliced file', async (m) => {
		mode = m;
		const [generation] = rp.sim.seed(KEY, [{ imageUrl: 'https://a.example/1.jpg' }], { renderMs: 0 });
		const video = videoBuffer(videoSeed(generation.id), SIZE);
		gz = gzipSync(video);
		rp.sim.inject({ path: `/api/v1/generations/${generation.id}`, times: 10, fault: { kind: 'redirect', location: `${base}/cdn/${generation.id}.mp4` } });
		const result = await rp.run({ resource: 'generation', operation: 'downloadVideo', generationId: String(generation.id) });
		const item = result.items[0];
		const stored = item?.binary?.data ? await binaryBuffer(item.binary.data) : undefined;
		expect(seen.every((line) => line.endsWith('auth=undefined'))).toBe(true);
		if (m === 'whole' && compressionVisible) {
			// A whole, valid gzip answer: the decoded body is the video (axios decodes it), not a broken download.
			expect({ error: result.error?.message, stored: stored?.length }).toEqual({ error: undefined, stored: VIDEO_SIZE });
		}
		// Never a stored file that is not the video: the break's offset counts decoded bytes, a Range counts encoded ones.
		if (stored) expect({ length: stored.length, sameAsVideo: stored.equals(video) }).toEqual({ length: VIDEO_SIZE, sameAsVideo: true });
		else expect(result.error).toBeDefined();
	});
});
