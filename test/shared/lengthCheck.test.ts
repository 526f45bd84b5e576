/**
 * WatchedBody, the one stream between a socket and its reader: a body that ends
 * short of (or past) its Content-Length is an error, never a file; a broken body
 * is resumed only as asked; a slow reader holds the socket back.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { checkedStream, contentLength, IncompleteAnswerError, TruncatedBodyError } from '../../nodes/shared/download';
import { WatchedBody } from '../../nodes/shared/http/watchedBody';
import { resumableBody, ResumeRefusedError } from '../../nodes/shared/resumableBody';

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });
const body = (bytes: number): Readable => Readable.from([Buffer.alloc(bytes / 2), Buffer.alloc(bytes / 2)]);

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** `bytes` bytes of a known pattern from `offset` on, breaking off after `breakAfter` of them. */
function pattern(offset: number, bytes: number, breakAfter = bytes): Readable {
	const all = Buffer.from(Array.from({ length: bytes }, (_, i) => (offset + i) % 251));
	return new Readable({
		read() {
			this.push(all.subarray(0, breakAfter));
			if (breakAfter < bytes) this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
			else this.push(null);
		},
	});
}

describe('WatchedBody: length check', () => {
	test('the announced length passes', async () => {
		const check = new WatchedBody(body(1_000)).expectLength(1_000);
		await pipeline(check, sink());
		expect(check.received).toBe(1_000);
	});

	test('a body that ends early fails with what arrived', async () => {
		const failure = pipeline(new WatchedBody(body(600)).expectLength(1_000), sink());
		await expect(failure).rejects.toBeInstanceOf(TruncatedBodyError);
		await expect(pipeline(new WatchedBody(body(600)).expectLength(1_000), sink())).rejects.toMatchObject({
			received: 600,
			expected: 1_000,
		});
	});

	test('a body longer than announced fails too', async () => {
		await expect(pipeline(new WatchedBody(body(1_200)).expectLength(1_000), sink())).rejects.toBeInstanceOf(IncompleteAnswerError);
	});

	test('an endless body is cut off as soon as it passes the expected length: it cannot grow without bound', async () => {
		let sent = 0;
		const endless = new Readable({
			read() {
				sent += 4_096;
				this.push(Buffer.alloc(4_096));
			},
		});
		const check = new WatchedBody(endless).expectLength(10_000);
		await expect(pipeline(check, sink())).rejects.toThrow(/more than the 10000 bytes the file has/);
		expect(check.received).toBeLessThanOrEqual(10_000 + 4_096);
		expect(endless.destroyed).toBe(true);
		expect(sent).toBeLessThan(10 * 10_000);
	});

	test('no Content-Length: any length passes', async () => {
		await pipeline(checkedStream(body(800), {}), sink());
	});

	test('checkedStream reads the Content-Length header and adds no second stream to a watched body', async () => {
		const watched = new WatchedBody(body(600));
		const checked = checkedStream(watched, { 'content-length': '1000' });
		expect(checked).toBe(watched);
		await expect(pipeline(checked, sink())).rejects.toMatchObject({ received: 600, expected: 1_000 });
	});

	test('a source that breaks fails the body with its error', async () => {
		await expect(readAll(new WatchedBody(pattern(0, 1_000, 400)))).rejects.toMatchObject({ code: 'ECONNRESET' });
	});
});

describe('WatchedBody: resume', () => {
	test('a broken body goes on from the byte it broke at, and the whole is exact', async () => {
		const offsets: number[] = [];
		const watched = new WatchedBody(pattern(0, 1_000, 300))
			.expectLength(1_000)
			.resumeWith(1_000, async (offset) => {
				offsets.push(offset);
				return pattern(offset, 1_000 - offset, offsets.length === 1 ? 200 : 1_000 - offset);
			}, 3);
		const whole = await readAll(watched);
		expect(offsets).toEqual([300, 500]);
		expect(whole.equals(Buffer.from(Array.from({ length: 1_000 }, (_, i) => i % 251)))).toBe(true);
	});

	test('no more than the resumes allowed: then the break itself is the error', async () => {
		let asked = 0;
		const watched = new WatchedBody(pattern(0, 1_000, 100)).resumeWith(1_000, async (offset) => {
			asked++;
			return pattern(offset, 1_000 - offset, 100);
		}, 2);
		await expect(readAll(watched)).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(asked).toBe(2);
	});

	test('a refused resume fails the body with the refusal', async () => {
		const watched = new WatchedBody(pattern(0, 1_000, 100)).resumeWith(1_000, async () => {
			throw new Error('answered 200 instead of 206');
		}, 3);
		await expect(readAll(watched)).rejects.toThrow('answered 200 instead of 206');
	});
});

test('a reader that does not read holds the source back (memory stays flat)', async () => {
	let produced = 0;
	const source = new Readable({
		read() {
			produced += 64 * 1024;
			this.push(Buffer.alloc(64 * 1024));
		},
	});
	const watched = new WatchedBody(source);
	await new Promise((resolve) => setTimeout(resolve, 100));
	// Both buffers are bounded by their high-water marks, not by what the source could send.
	expect(produced).toBeLessThan(1024 * 1024);
	expect(source.isPaused()).toBe(true);
	watched.destroy();
	expect(source.destroyed).toBe(true);
});

describe('contentLength', () => {
	test('reads the header, first value of a list, and refuses nonsense', () => {
		expect(contentLength({ 'content-length': '42' })).toBe(42);
		expect(contentLength({ 'content-length': ['7', '8'] })).toBe(7);
		expect(contentLength({ 'content-length': 'x' })).toBeUndefined();
		expect(contentLength({ 'content-length': '-1' })).toBeUndefined();
		expect(contentLength({})).toBeUndefined();
	});
});

describe('resumableBody: the validator decides', () => {
	const TOTAL = 1_000;
	const first = (headers: Record<string, string>) => ({ statusCode: 200, headers: { 'content-length': String(TOTAL), ...headers }, body: pattern(0, TOTAL, 400) });
	const part = (offset: number, headers: Record<string, string>) => ({
		statusCode: 206,
		headers: { 'content-range': `bytes ${offset}-${TOTAL - 1}/${TOTAL}`, ...headers },
		body: pattern(offset, TOTAL - offset),
	});
	const LAST_MODIFIED = 'Thu, 01 Jan 2026 00:00:00 GMT';

	test('the same strong ETag resumes, sending it as If-Range', async () => {
		const asked: string[] = [];
		const stream = resumableBody(first({ etag: '"v1"', 'last-modified': LAST_MODIFIED }), async (offset, ifRange) => {
			asked.push(ifRange);
			return part(offset, { etag: '"v1"' });
		});
		expect(await readAll(stream)).toEqual(await readAll(pattern(0, TOTAL)));
		expect(asked).toEqual(['"v1"']);
	});

	test.each([
		['another ETag, the same Last-Modified', { etag: '"v2"', 'last-modified': LAST_MODIFIED }],
		['no ETag at all', { 'last-modified': LAST_MODIFIED }],
	])('a 206 with %s is refused: the file changed', async (_name, headers) => {
		const stream = resumableBody(first({ etag: '"v1"', 'last-modified': LAST_MODIFIED }), async (offset) => part(offset, headers));
		await expect(readAll(stream)).rejects.toThrow(/the file changed on the server since the download began/);
	});

	test('only a weak ETag: Last-Modified is the validator (and must come back on the 206); without it nothing is resumed', async () => {
		const asked: string[] = [];
		const reopen = async (offset: number, ifRange: string) => {
			asked.push(ifRange);
			return part(offset, { etag: 'W/"v1"', 'last-modified': LAST_MODIFIED });
		};
		await readAll(resumableBody(first({ etag: 'W/"v1"', 'last-modified': LAST_MODIFIED }), reopen));
		expect(asked).toEqual([LAST_MODIFIED]);
		await expect(readAll(resumableBody(first({ etag: 'W/"v1"' }), reopen))).rejects.toThrow(ResumeRefusedError);
		expect(asked).toHaveLength(1);
	});

	test('a 200 to the resume (If-Range did not match) is refused, never spliced', async () => {
		const stream = resumableBody(first({ etag: '"v1"' }), async () => ({ statusCode: 200, headers: { etag: '"v2"' }, body: pattern(0, TOTAL) }));
		await expect(readAll(stream)).rejects.toThrow(/it sent the whole file again/);
	});
});
