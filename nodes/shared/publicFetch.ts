/**
 * A GET of a file URL that came from outside (a callback body, or an API
 * answer the trigger fetches unattended): every hop of a redirect chain is
 * checked by the URL guard before it is requested, redirects are followed here
 * (never by the request helper), no credential is sent, the response and the
 * body each have a time limit, and a body larger than expected is refused.
 */
import type { Readable, TransformCallback } from 'node:stream';
import { Transform } from 'node:stream';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ApiContext } from './context';
import type { ApiResponse, ServiceDefinition } from './http';
import { isRedirect, publicRequest } from './http';
import { contentLength } from './download';
import { shownUrl, whyRefused } from './urlGuard';

export const MAX_REDIRECTS = 5;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

export interface GuardedFetch {
	/** Hosts the user allowed despite a private address (self-hosted stores). */
	allowedHosts: readonly string[];
	/** Said in errors, e.g. `the video of this callback`. */
	what: string;
	itemIndex?: number;
	/** Refuse a body larger than this (the size the API announced). */
	maxBytes?: number;
	responseTimeoutMs?: number;
	stallTimeoutMs?: number;
}

export async function guardedFileStream(
	context: ApiContext,
	service: ServiceDefinition,
	url: string,
	fetch: GuardedFetch,
): Promise<ApiResponse<Readable>> {
	let current = url;
	for (let hop = 0; ; hop++) {
		await checkOrExplain(context, current, fetch);
		const response = await publicRequest<Readable>(context, service, current, {
			encoding: 'stream',
			itemIndex: fetch.itemIndex,
			notFound: `${fetch.what} at ${shownUrl(current)}`,
			redirects: 'return',
			timeoutMs: fetch.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
		});
		if (!isRedirect(response.statusCode)) return limited(context, response, fetch);
		response.body.destroy();
		const location = firstHeader(response.headers.location);
		if (!location) throw refused(context, current, 'it redirects without a Location', fetch);
		if (hop + 1 > MAX_REDIRECTS) throw refused(context, url, `more than ${MAX_REDIRECTS} redirects`, fetch);
		current = new URL(location, current).toString();
	}
}

async function checkOrExplain(context: ApiContext, url: string, fetch: GuardedFetch): Promise<void> {
	const reason = await whyRefused(url, fetch.allowedHosts);
	if (reason) throw refused(context, url, reason, fetch);
}

function refused(context: ApiContext, url: string, reason: string, fetch: GuardedFetch): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Refused to fetch ${shownUrl(url)}: ${reason}. Nothing was downloaded for ${fetch.what}`, {
		itemIndex: fetch.itemIndex,
		description:
			'Only public addresses are fetched. If this host is your own file store, add its name to the "Allowed Hosts" option.',
	});
}

function limited(context: ApiContext, response: ApiResponse<Readable>, fetch: GuardedFetch): ApiResponse<Readable> {
	const announced = contentLength(response.headers);
	if (fetch.maxBytes !== undefined && announced !== undefined && announced > fetch.maxBytes) {
		response.body.destroy();
		throw new NodeOperationError(
			context.getNode(),
			`Refused ${fetch.what}: it announces ${announced} bytes, more than the ${fetch.maxBytes} Colossyan reported`,
			{ itemIndex: fetch.itemIndex, description: 'The file is not the video Colossyan made. Nothing was downloaded.' },
		);
	}
	const guard = new BodyGuard(fetch.maxBytes, fetch.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS);
	response.body.on('error', (error) => guard.destroy(error));
	response.body.pipe(guard);
	void guard.watch(response.body);
	return { ...response, body: guard };
}

/** Passes bytes on; fails when more than `maxBytes` arrive or none arrive for `stallMs`. */
export class BodyGuard extends Transform {
	received = 0;

	private lastByteAt = Date.now();

	private ended = false;

	constructor(
		private readonly maxBytes: number | undefined,
		private readonly stallMs: number,
	) {
		super();
		this.once('close', () => (this.ended = true));
	}

	_transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.lastByteAt = Date.now();
		this.received += chunk.length;
		if (this.maxBytes !== undefined && this.received > this.maxBytes) {
			callback(new Error(`more than the ${this.maxBytes} bytes expected arrived`));
			return;
		}
		callback(null, chunk);
	}

	_flush(callback: TransformCallback): void {
		this.ended = true;
		callback();
	}

	/** Checks for a stall about ten times per limit until the body ends. */
	async watch(source: Readable): Promise<void> {
		const tick = Math.max(50, Math.min(1000, Math.floor(this.stallMs / 10)));
		while (!this.ended) {
			await sleep(tick);
			if (!this.ended && Date.now() - this.lastByteAt > this.stallMs) {
				const error = new Error(`no data for ${Math.round(this.stallMs / 1000)} s`);
				source.destroy(error);
				this.destroy(error);
				return;
			}
		}
	}
}

function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
