/**
 * Deterministic "mp4" bodies of any size: a real ftyp box, then a 64 KiB block
 * derived from a seed and repeated. Served as a stream of slices, so a 1 GiB
 * video costs the simulator 64 KiB of memory; tests recompute the same bytes to
 * check what arrived.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK_SIZE = 64 * 1024;
const blocks = new Map<string, Buffer>();

function ftypHeader(): Buffer {
	const header = Buffer.alloc(32);
	header.writeUInt32BE(32, 0);
	header.write('ftypisom', 4, 'latin1');
	header.writeUInt32BE(0x200, 12);
	header.write('isomiso2avc1mp41', 16, 'latin1');
	return header;
}
const HEADER = ftypHeader();

function blockFor(seed: string): Buffer {
	let block = blocks.get(seed);
	if (!block) {
		block = Buffer.alloc(BLOCK_SIZE);
		for (let offset = 0, counter = 0; offset < BLOCK_SIZE; counter++) {
			const digest = createHash('sha256').update(`${seed}:${counter}`).digest();
			offset += digest.copy(block, offset);
		}
		blocks.set(seed, block);
	}
	return block;
}

/** Bytes [start, end) of the video for `seed`. */
export function videoSlice(seed: string, start: number, end: number): Buffer {
	const block = blockFor(seed);
	const out = Buffer.allocUnsafe(end - start);
	for (let position = start; position < end; ) {
		const inBlock = position % BLOCK_SIZE;
		const length = Math.min(BLOCK_SIZE - inBlock, end - position);
		block.copy(out, position - start, inBlock, inBlock + length);
		position += length;
	}
	if (start < HEADER.length) HEADER.copy(out, 0, start, Math.min(HEADER.length, end));
	return out;
}

/** A stream of bytes [start, end] (inclusive, like HTTP ranges) of the video for `seed`. */
export function videoStream(seed: string, size: number, start = 0, end = size - 1): Readable {
	let position = start;
	const stop = Math.min(end + 1, size);
	return new Readable({
		highWaterMark: BLOCK_SIZE,
		read() {
			if (position >= stop) {
				this.push(null);
				return;
			}
			const next = Math.min(stop, position + BLOCK_SIZE);
			// A whole aligned block past the header is the cached block itself: no copy,
			// so serving 1 GiB costs the simulator little CPU and benchmarks measure the client.
			const whole = position % BLOCK_SIZE === 0 && next - position === BLOCK_SIZE && position >= HEADER.length;
			const chunk = whole ? blockFor(seed) : videoSlice(seed, position, next);
			position = next;
			this.push(chunk);
		},
	});
}

export function videoBuffer(seed: string, size: number): Buffer {
	return videoSlice(seed, 0, size);
}

export async function videoSha256(seed: string, size: number): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of videoStream(seed, size)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}
