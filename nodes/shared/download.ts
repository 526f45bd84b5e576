/**
 * Streams an HTTP body into n8n's binary data storage. With n8n's filesystem
 * (or S3) binary mode the bytes go from the socket to storage without ever
 * being held whole in memory. A body that ends short of its Content-Length is
 * an error, never a truncated file.
 */
import type { Readable, TransformCallback } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import type { IBinaryData, IExecuteFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ResponseHeaders } from './http';

export type BinaryContext = IExecuteFunctions | IPollFunctions | IWebhookFunctions;

export interface BinaryTarget {
	fileName: string;
	mimeType: string;
	itemIndex?: number;
	/** Said in the error when the body breaks off, e.g. `generation 42`. */
	what: string;
	/**
	 * Hand storage blocks of STORAGE_BLOCK_BYTES (default). Zips built here skip it:
	 * they meet their time target without the copy, and keep its memory.
	 */
	inBlocks?: boolean;
}

/** Counts bytes on their way through and fails at the end if fewer came than announced. */
export class LengthCheck extends Transform {
	received = 0;

	constructor(private readonly expected: number | undefined) {
		super();
	}

	_transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.received += chunk.length;
		callback(null, chunk);
	}

	_flush(callback: TransformCallback): void {
		if (this.expected !== undefined && this.received !== this.expected) {
			callback(new TruncatedBodyError(this.received, this.expected));
			return;
		}
		callback();
	}
}

/**
 * n8n writes a stream into its binary folder with one awaited `write` per chunk,
 * each a round trip to libuv's thread pool, while the socket hands over chunks of
 * 16 to 64 KiB. Regrouped into 256 KiB blocks, a 1 GiB file costs about 4,000 of
 * those trips instead of about 30,000: on Node.js 20 and 22 the download took
 * half the time. The copy doubles the short-lived buffers between two garbage
 * collections, so larger blocks only raised peak memory (1 MiB: up to 95 MiB
 * growth in the 20-video zip benchmark, 256 KiB: 70, none: 50).
 */
export const STORAGE_BLOCK_BYTES = 256 * 1024;

/**
 * Not with Node.js 24's default young generation: V8 13.6 raised its maximum (a
 * 128 MiB new space, against 32 MiB on Node 20), so buffers die only every 64 MB and
 * the copy into blocks doubles the full garbage collections that external memory
 * then starts (inside n8n on Node 24, 1 MiB blocks saved under a tenth of the time
 * while peak memory grew by 135 MiB instead of 20). With a small young generation
 * (NODE_OPTIONS=--max-semi-space-size=1 or 2, README "Large files") or V8's flag below
 * (buffers count against the heap limit instead), the blocks pay off again.
 */
export const V8_EXTERNAL_MEMORY_FLAG = '--external-memory-accounted-in-global-limit';
/** New space (both semi-spaces) with --max-semi-space-size=2; Node 24's default grows to 128 MiB. */
export const SMALL_YOUNG_GENERATION_BYTES = 4 * 1024 * 1024;

/**
 * The largest young generation seen in this process: V8 grows it as a process warms up
 * and may shrink it when idle, so a small reading after a large one is not trusted.
 */
let largestYoungGeneration = 0;

/** Whether to hand storage blocks: decided from V8's actual young generation, per download. */
export function regroupsForStorage(): boolean {
	if (Number(process.versions.node.split('.')[0]) < 24 || process.execArgv.includes(V8_EXTERNAL_MEMORY_FLAG)) return true;
	const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
	largestYoungGeneration = Math.max(largestYoungGeneration, newSpace?.space_size ?? Number.POSITIVE_INFINITY);
	return largestYoungGeneration <= SMALL_YOUNG_GENERATION_BYTES;
}

/** Hands bytes on in blocks of at least STORAGE_BLOCK_BYTES (the last one may be smaller). */
export class StorageBlocks extends Transform {
	private parts: Buffer[] = [];
	private size = 0;

	_transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.parts.push(chunk);
		this.size += chunk.length;
		if (this.size >= STORAGE_BLOCK_BYTES) this.push(this.takeBlock());
		callback();
	}

	_flush(callback: TransformCallback): void {
		if (this.size > 0) this.push(this.takeBlock());
		callback();
	}

	private takeBlock(): Buffer {
		const block = Buffer.concat(this.parts, this.size);
		this.parts = [];
		this.size = 0;
		return block;
	}
}

export class TruncatedBodyError extends Error {
	constructor(
		readonly received: number,
		readonly expected: number,
	) {
		super(`received ${received} of ${expected} bytes`);
	}
}

export function contentLength(headers: ResponseHeaders): number | undefined {
	const raw = headers['content-length'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 && raw !== undefined ? value : undefined;
}

/**
 * A body that fails if it ends short of its Content-Length, for consumers that
 * read it later (zip entries). Errors reach the reader through the returned stream.
 */
export function checkedStream(body: Readable, headers: ResponseHeaders): Readable {
	const check = new LengthCheck(contentLength(headers));
	pipeline(body, check).catch(() => undefined);
	return check;
}

export async function streamToBinary(
	context: BinaryContext,
	body: Readable,
	headers: ResponseHeaders,
	target: BinaryTarget,
): Promise<IBinaryData> {
	const check = new LengthCheck(contentLength(headers));
	const blocks = target.inBlocks !== false && regroupsForStorage() ? new StorageBlocks() : undefined;
	try {
		const [binary] = await Promise.all([
			context.helpers.prepareBinaryData(blocks ?? check, target.fileName, target.mimeType),
			blocks ? pipeline(body, check, blocks) : pipeline(body, check),
		]);
		return binary;
	} catch (error) {
		body.destroy();
		throw brokenDownload(context, target, error, check.received);
	}
}

function brokenDownload(
	context: BinaryContext,
	target: BinaryTarget,
	error: unknown,
	received: number,
): NodeOperationError {
	const detail =
		error instanceof TruncatedBodyError
			? `it ended after ${error.received} of ${error.expected} bytes`
			: `the connection broke after ${received} bytes`;
	return new NodeOperationError(
		context.getNode(),
		`The download of ${target.what} did not complete: ${detail}`,
		{
			itemIndex: target.itemIndex,
			description: 'Nothing was saved for this item. Run the node again to retry the download.',
		},
	);
}
