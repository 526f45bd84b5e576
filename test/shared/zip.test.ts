/**
 * The one zip builder, directly: entries in order, stored, opened one at a time
 * only when the archive reaches them; a broken entry fails the archive with an
 * error naming that entry, and nothing after it is opened.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';

import { BrokenPartError, TruncatedBodyError } from '../../nodes/shared/download';
import type { ZipEntrySource } from '../../nodes/shared/zip';
import { streamZip, zipEntries } from '../../nodes/shared/zip';
import { readZip } from '../helpers/zip';

async function collect(archive: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of archive) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function entry(name: string, bytes: Buffer, opened: string[]): ZipEntrySource {
	return {
		name,
		what: `video ${name}`,
		open: async () => {
			opened.push(name);
			return Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]);
		},
	};
}

describe('streamZip', () => {
	test('entries come back in order, stored, with their bytes', async () => {
		const opened: string[] = [];
		const files = ['a.mp4', 'b.mp4', 'c.mp4'].map((name, i) => [name, Buffer.alloc(1_000 + i, i + 1)] as const);
		const zip = await readZip(await collect(streamZip(files.map(([name, bytes]) => entry(name, bytes, opened)))));
		expect(zip.map((e) => [e.name, e.size, e.compressionMethod])).toEqual([
			['a.mp4', 1_000, 0],
			['b.mp4', 1_001, 0],
			['c.mp4', 1_002, 0],
		]);
		expect(opened).toEqual(['a.mp4', 'b.mp4', 'c.mp4']);
	});

	test('an entry is opened only when the previous one is written', async () => {
		const opened: string[] = [];
		const first = new PassThrough();
		const entries: ZipEntrySource[] = [
			{ name: 'a.mp4', what: 'video a', open: async () => (opened.push('a.mp4'), first) },
			entry('b.mp4', Buffer.alloc(100, 2), opened),
		];
		const archive = streamZip(entries);
		const bytes = collect(archive);
		first.write(Buffer.alloc(500, 1));
		await new Promise((resolve) => setImmediate(resolve));
		expect(opened).toEqual(['a.mp4']);
		first.end();
		expect((await readZip(await bytes)).map((e) => e.name)).toEqual(['a.mp4', 'b.mp4']);
		expect(opened).toEqual(['a.mp4', 'b.mp4']);
	});

	test('an entry that breaks off fails the archive naming the entry; nothing after it is opened', async () => {
		const opened: string[] = [];
		const cut = new TruncatedBodyError(10, 1_000);
		const broken: ZipEntrySource = {
			name: 'b.mp4',
			what: 'generation 42',
			open: async () => {
				opened.push('b.mp4');
				const body = new PassThrough();
				body.write(Buffer.alloc(10));
				setImmediate(() => body.destroy(cut));
				return body;
			},
		};
		const archive = streamZip([entry('a.mp4', Buffer.alloc(100), opened), broken, entry('c.mp4', Buffer.alloc(100), opened)]);
		const failure = await collect(archive).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(BrokenPartError);
		expect((failure as BrokenPartError).part).toBe('generation 42 (entry b.mp4)');
		expect((failure as BrokenPartError).reason).toBe(cut);
		expect(opened).toEqual(['a.mp4', 'b.mp4']);
	});

	test('an entry that cannot be opened fails the archive the same way', async () => {
		const refused = new Error('404 from the file host');
		const archive = streamZip([{ name: 'x.mp4', what: 'video vid_1', open: async () => await Promise.reject(refused) }]);
		const failure = await collect(archive).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(BrokenPartError);
		expect((failure as BrokenPartError).part).toBe('video vid_1 (entry x.mp4)');
		expect((failure as BrokenPartError).reason).toBe(refused);
	});

	test('a reader that gives up stops the feeding: no further entry is opened', async () => {
		const opened: string[] = [];
		const first = new PassThrough();
		const archive = streamZip([
			{ name: 'a.mp4', what: 'video a', open: async () => (opened.push('a.mp4'), first) },
			entry('b.mp4', Buffer.alloc(100), opened),
		]);
		archive.resume();
		first.write(Buffer.alloc(100));
		await new Promise((resolve) => setImmediate(resolve));
		const closed = once(archive, 'close');
		archive.destroy();
		await closed;
		first.end();
		await new Promise((resolve) => setImmediate(resolve));
		expect(opened).toEqual(['a.mp4']);
	});
});

describe('zipEntries', () => {
	test('names follow the zip rules, unique in the archive regardless of case, in the order given', () => {
		const open = async (): Promise<Readable> => Readable.from([]);
		const entries = zipEntries(
			[
				{ label: 'Intro', id: 'v1', what: 'video v1', open },
				{ label: 'INTRO', id: 'v2', what: 'video v2', open },
				{ label: '', id: 'v3', what: 'video v3', open },
				{ label: '../../x', id: 'v4', what: 'video v4', open },
			],
			'video',
		);
		expect(entries.map((e) => e.name)).toEqual(['Intro.mp4', 'INTRO-v2.mp4', 'video-v3.mp4', '______x.mp4']);
		expect(entries.map((e) => e.what)).toEqual(['video v1', 'video v2', 'video v3', 'video v4']);
		expect(entries[0].open).toBe(open);
	});
});
