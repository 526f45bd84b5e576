/**
 * Streams an HTTP body into n8n's binary data storage. With n8n's filesystem
 * (or S3) binary mode the bytes go from the socket to storage without ever
 * being held whole in memory. A body that ends short of its Content-Length is
 * an error, never a truncated file.
 */
import type { Readable, TransformCallback } from 'node:stream';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { IBinaryData, IExecuteFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ResponseHeaders } from './http';
import { StalledBodyError } from './http';
import { IncompleteAnswerError, TruncatedBodyError, WatchedBody } from './http/watchedBody';
import { isContentEncoded, ResumeRefusedError } from './resumableBody';

export { IncompleteAnswerError, TruncatedBodyError };

export type BinaryContext = IExecuteFunctions | IPollFunctions | IWebhookFunctions;

export interface BinaryTarget {
	fileName: string;
	mimeType: string;
	itemIndex?: number;
	/** Said in the error when the body breaks off, e.g. `generation 42`. */
	what: string;
	/** The file's size as the service announced it apart from the answer (Colossyan's videoSizeBytes). */
	knownBytes?: number;
	/**
	 * Hand storage blocks of STORAGE_BLOCK_BYTES (default). Zips built here skip it:
	 * they meet their time target without the copy, and keep its memory.
	 */
	inBlocks?: boolean;
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
 * Not on Node.js 24 and later as it starts: its V8 begins a full garbage collection
 * for every 64 MB of new buffers, so the copy into blocks doubles that work (inside
 * n8n on Node 24, 1 MiB blocks saved under a tenth of the time while peak memory grew by
 * 135 MiB instead of 20). Started with V8's flag below, Node 24 counts those
 * buffers against its heap limit instead, and the blocks pay off again. A young
 * generation made small through NODE_OPTIONS (--max-semi-space-size=1 or 2) does not
 * do that: with blocks there, the 200 MiB download tests' RSS growth went from 21-38
 * to 50-79 MiB, and inside n8n 2.40.7 the package took 1.1-1.7x the HTTP Request node.
 */
export const V8_EXTERNAL_MEMORY_FLAG = '--external-memory-accounted-in-global-limit';
export const REGROUPS_FOR_STORAGE = Number(process.versions.node.split('.')[0]) < 24 || process.execArgv.includes(V8_EXTERNAL_MEMORY_FLAG);

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

/** One part of a body built here (a zip entry) broke; `part` names it, e.g. `generation 42 (entry mug.mp4)`. */
export class BrokenPartError extends Error {
	constructor(
		readonly part: string,
		readonly reason: unknown,
	) {
		super(`${part} broke off`);
	}
}

export function contentLength(headers: ResponseHeaders): number | undefined {
	const raw = headers['content-length'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 && raw !== undefined ? value : undefined;
}

/** The body, watched: the transport's bodies are already, so no stream is added in between. */
function watchedBodyOf(body: Readable): WatchedBody {
	return body instanceof WatchedBody ? body : new WatchedBody(body);
}

/**
 * The one check every download passes before it is called complete (streamToBinary,
 * zip entries): the body is the whole file or it fails. It fails when it ends short
 * of its Content-Length or of the size the service announced (`knownBytes`, e.g.
 * Colossyan's videoSizeBytes), when it is empty, and when the answer is only a part
 * of the file (a Content-Range that is not the whole, e.g. a 206 to a plain GET).
 * Errors reach the reader through the returned stream.
 */
export function checkedStream(body: Readable, headers: ResponseHeaders, knownBytes?: number): WatchedBody {
	const watched = watchedBodyOf(body).refuseEmpty();
	// A compressed answer's Content-Length counts encoded bytes; what arrives here is decoded.
	const announced = isContentEncoded(headers) ? undefined : contentLength(headers);
	const partial = partOfFile(headers);
	if (partial) return watched.refuse(new IncompleteAnswerError(partial));
	if (announced !== undefined && knownBytes !== undefined && announced !== knownBytes) {
		return watched.refuse(new IncompleteAnswerError(`the server announced ${announced} bytes, the file has ${knownBytes}`));
	}
	return watched.expectLength(announced ?? knownBytes);
}

/** Why a Content-Range shows the answer is not the whole file (`bytes 0-999/200000`), or undefined. */
function partOfFile(headers: ResponseHeaders): string | undefined {
	const raw = headers['content-range'];
	const range = Array.isArray(raw) ? raw[0] : raw;
	if (range === undefined) return undefined;
	const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range.trim());
	if (match && Number(match[1]) === 0 && Number(match[2]) + 1 === Number(match[3])) return undefined;
	return `the server sent only a part of the file (Content-Range: ${range.slice(0, 80)})`;
}

export async function streamToBinary(
	context: BinaryContext,
	body: Readable,
	headers: ResponseHeaders,
	target: BinaryTarget,
): Promise<IBinaryData> {
	const watched = checkedStream(body, headers, target.knownBytes);
	const blocks = REGROUPS_FOR_STORAGE && target.inBlocks !== false ? new StorageBlocks() : undefined;
	try {
		const [binary] = await Promise.all([
			context.helpers.prepareBinaryData(blocks ?? watched, target.fileName, target.mimeType),
			// Fails on a broken or short body even if the storage side only sees an early end.
			blocks ? pipeline(watched, blocks) : finished(watched),
		]);
		return binary;
	} catch (error) {
		// A stall fails the body first; the storage side then only sees a premature close.
		const cause = isOwnBreak(watched.errored) ? watched.errored : error;
		watched.destroy();
		throw brokenDownload(context, target, cause, watched.received);
	}
}

/** Errors this package raises on a body: they say more than the storage side's premature close. */
function isOwnBreak(error: unknown): boolean {
	return (
		error instanceof StalledBodyError ||
		error instanceof BrokenPartError ||
		error instanceof IncompleteAnswerError ||
		error instanceof ResumeRefusedError ||
		error instanceof TruncatedBodyError ||
		// A resume's own request failed: the transport's error, scrubbed already.
		error instanceof NodeApiError ||
		error instanceof NodeOperationError
	);
}

function brokenDownload(
	context: BinaryContext,
	target: BinaryTarget,
	error: unknown,
	received: number,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`The download of ${target.what} did not complete: ${breakDetail(error, received)}`,
		{
			itemIndex: target.itemIndex,
			description: 'Nothing was saved for this item. Run the node again to retry the download.',
		},
	);
}

function breakDetail(error: unknown, received: number): string {
	if (error instanceof BrokenPartError) return `${error.part}: ${partDetail(error.reason)}`;
	if (error instanceof TruncatedBodyError) return `it ended after ${error.received} of ${error.expected} bytes`;
	if (error instanceof StalledBodyError) return `it stalled after ${received} bytes (${stallDetail(error)})`;
	if (error instanceof IncompleteAnswerError || error instanceof ResumeRefusedError) return error.message;
	// The resume's own request failed (e.g. the link expired meanwhile): its error says why.
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return `the connection broke after ${received} bytes and resuming failed: ${error.message}`;
	return `the connection broke after ${received} bytes`;
}

/** What broke one part: the same words, or why the part could not be opened (e.g. its request's error). */
function partDetail(error: unknown): string {
	if (error instanceof TruncatedBodyError) return `it ended after ${error.received} of ${error.expected} bytes`;
	if (error instanceof StalledBodyError) return `it stalled (${stallDetail(error)})`;
	if (error instanceof IncompleteAnswerError || error instanceof ResumeRefusedError) return error.message;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return `it could not be downloaded: ${error.message}`;
	return 'the connection broke';
}

function stallDetail(error: StalledBodyError): string {
	return `${error.message}; the Stall Timeout of the node's Request Timeouts option`;
}
