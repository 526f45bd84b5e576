/** A body that ends short of (or past) its Content-Length is an error, never a file. */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { contentLength, LengthCheck, TruncatedBodyError } from '../../nodes/shared/download';

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });
const body = (bytes: number): Readable => Readable.from([Buffer.alloc(bytes / 2), Buffer.alloc(bytes / 2)]);

describe('LengthCheck', () => {
	test('the announced length passes', async () => {
		const check = new LengthCheck(1_000);
		await pipeline(body(1_000), check, sink());
		expect(check.received).toBe(1_000);
	});

	test('a body that ends early fails with what arrived', async () => {
		const failure = pipeline(body(600), new LengthCheck(1_000), sink());
		await expect(failure).rejects.toBeInstanceOf(TruncatedBodyError);
		await expect(pipeline(body(600), new LengthCheck(1_000), sink())).rejects.toMatchObject({ received: 600, expected: 1_000 });
	});

	test('a body longer than announced fails too', async () => {
		await expect(pipeline(body(1_200), new LengthCheck(1_000), sink())).rejects.toBeInstanceOf(TruncatedBodyError);
	});

	test('no Content-Length: any length passes', async () => {
		await pipeline(body(800), new LengthCheck(undefined), sink());
	});
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
