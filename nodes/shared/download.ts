/**
 * Streams an HTTP body into n8n's binary data storage. With n8n's filesystem
 * (or S3) binary mode the bytes go from the socket to storage without ever
 * being held whole in memory. A body that ends short of its Content-Length is
 * an error, never a truncated file.
 */
import type { Readable, TransformCallback } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
	try {
		const [binary] = await Promise.all([
			context.helpers.prepareBinaryData(check, target.fileName, target.mimeType),
			pipeline(body, check),
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
