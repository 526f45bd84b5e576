/** The regrouping that hands n8n's binary storage 1 MiB writes instead of socket-sized ones. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { STORAGE_BLOCK_BYTES, StorageBlocks } from '../../nodes/shared/download';

/** The blocks as pushed, one 'data' event each (an async iterator would join whatever is buffered). */
async function regroup(chunks: Buffer[]): Promise<Buffer[]> {
	const blocks: Buffer[] = [];
	const regrouped = Readable.from(chunks).pipe(new StorageBlocks());
	regrouped.on('data', (block: Buffer) => blocks.push(block));
	await finished(regrouped);
	return blocks;
}

test('socket-sized chunks leave as 1 MiB blocks, bytes and order unchanged', async () => {
	// 3.5 blocks' worth of 16 KiB chunks and one odd tail.
	const count = (STORAGE_BLOCK_BYTES * 3.5) / (16 * 1024);
	const chunks = [...Array.from({ length: count }, () => randomBytes(16 * 1024)), randomBytes(1_234)];
	const blocks = await regroup(chunks);
	expect(blocks.map((block) => block.length)).toEqual([STORAGE_BLOCK_BYTES, STORAGE_BLOCK_BYTES, STORAGE_BLOCK_BYTES, STORAGE_BLOCK_BYTES / 2 + 1_234]);
	expect(Buffer.concat(blocks).equals(Buffer.concat(chunks))).toBe(true);
});

test('a chunk larger than a block passes whole; an empty body gives no block', async () => {
	const chunks = [randomBytes(10), randomBytes(STORAGE_BLOCK_BYTES * 2 + 5)];
	const blocks = await regroup(chunks);
	expect(blocks.map((block) => block.length)).toEqual([STORAGE_BLOCK_BYTES * 2 + 15]);
	expect(Buffer.concat(blocks).equals(Buffer.concat(chunks))).toBe(true);
	expect(await regroup([])).toEqual([]);
});
