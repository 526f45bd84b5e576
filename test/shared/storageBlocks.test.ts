/** The regrouping that hands n8n's binary storage 1 MiB writes instead of socket-sized ones. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { STORAGE_BLOCK_BYTES, StorageBlocks } from '../../nodes/shared/download';

async function regroup(chunks: Buffer[]): Promise<Buffer[]> {
	const blocks: Buffer[] = [];
	for await (const block of Readable.from(chunks).pipe(new StorageBlocks())) blocks.push(block as Buffer);
	return blocks;
}

test('socket-sized chunks leave as 1 MiB blocks, bytes and order unchanged', async () => {
	// 56 chunks of 64 KiB and one odd tail: 3.5 MiB + 1,234 bytes.
	const chunks = [...Array.from({ length: 56 }, () => randomBytes(64 * 1024)), randomBytes(1_234)];
	const blocks = await regroup(chunks);
	expect(blocks.map((block) => block.length)).toEqual([STORAGE_BLOCK_BYTES, STORAGE_BLOCK_BYTES, STORAGE_BLOCK_BYTES, 512 * 1024 + 1_234]);
	expect(Buffer.concat(blocks).equals(Buffer.concat(chunks))).toBe(true);
});

test('a chunk larger than a block passes whole; an empty body gives no block', async () => {
	const big = randomBytes(STORAGE_BLOCK_BYTES * 2 + 5);
	expect((await regroup([randomBytes(10), big])).map((block) => block.length)).toEqual([big.length + 10]);
	expect(await regroup([])).toEqual([]);
});
