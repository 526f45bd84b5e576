/**
 * What both simulators share: a real HTTP server on 127.0.0.1 (random port),
 * a log of every request (for counting calls and checking what was sent),
 * injected faults, JSON and streamed responses that honour those faults.
 */
import { once } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';

import type { EchoShape, Fault, FaultRule } from './faults';
import { FaultPlan } from './faults';
import { videoStream } from './videoBytes';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: unknown;
	status?: number;
}

export interface SimRequest extends RecordedRequest {
	raw: IncomingMessage;
	/** Path segments, e.g. ['generations', '12', 'status']. */
	segments: string[];
}

const MAX_REQUEST_BODY = 5 * 1024 * 1024;

export class Reply {
	constructor(
		private readonly res: ServerResponse,
		private readonly record: RecordedRequest,
		private readonly fault: Fault | undefined,
	) {}

	json(status: number, body: unknown, headers: Record<string, string> = {}): void {
		const fault = this.fault;
		if (fault?.kind === 'resetAfterProcessing') return this.drop();
		if (fault?.kind === 'statusAfterProcessing') {
			return this.send(fault.status, JSON.stringify({ message: 'Bad gateway' }), {
				'content-type': 'application/json',
			});
		}
		if (fault?.kind === 'malformedJson') {
			return this.send(200, '{"success": tru', { 'content-type': 'application/json' });
		}
		const text = body === undefined ? '' : JSON.stringify(body);
		if (fault?.kind === 'truncate') return this.sendTruncated(status, Buffer.from(text), fault.afterBytes, headers);
		if (fault?.kind === 'stallBody') return this.sendStalled(status, Buffer.from(text), fault.afterBytes, headers);
		if (fault?.kind === 'trickleBody') return this.sendTrickled(status, text, fault.intervalMs, headers);
		this.send(status, text, { 'content-type': 'application/json', ...headers });
	}

	/** An empty 200 (Colossyan's cancel). */
	empty(status = 200): void {
		if (this.fault?.kind === 'resetAfterProcessing') return this.drop();
		this.send(status, '', {});
	}

	/** Streams a body; `length` is announced as Content-Length when known. */
	stream(status: number, body: Readable, headers: Record<string, string>, length?: number): void {
		const fault = this.fault;
		if (fault?.kind === 'resetAfterProcessing') {
			body.destroy();
			return this.drop();
		}
		this.record.status = status;
		this.res.writeHead(status, {
			...headers,
			...(length !== undefined ? { 'content-length': String(length) } : {}),
		});
		if (fault?.kind === 'stallBody') {
			let sent = 0;
			body.on('data', (chunk: Buffer) => {
				const part = chunk.subarray(0, Math.max(0, fault.afterBytes - sent));
				sent += part.length;
				if (part.length > 0) this.res.write(part);
				// Stop reading: the client has its bytes and waits for more that never come.
				if (sent >= fault.afterBytes) body.destroy();
			});
			return;
		}
		const cut = cutAfter(fault);
		if (cut !== undefined) {
			const fault = { afterBytes: cut };
			let sent = 0;
			body.on('data', (chunk: Buffer) => {
				const room = fault.afterBytes - sent;
				if (room <= 0) return;
				const part = chunk.subarray(0, room);
				sent += part.length;
				this.res.write(part);
				if (sent >= fault.afterBytes) {
					body.destroy();
					// Let the bytes leave before the socket is cut.
					this.res.socket?.end(() => this.res.socket?.destroy());
				}
			});
			body.on('end', () => this.res.socket?.destroy());
			return;
		}
		body.pipe(this.res);
		this.res.on('close', () => body.destroy());
	}

	/**
	 * A video file as a file host serves it (RFC 9110): ETag and Last-Modified, a Range
	 * answered 206 (unless `honourRange` is false), and If-Range honoured: a validator
	 * that does not match the file's current one gets the whole file, 200. The video
	 * fault kinds (fileChanged, noValidators, partialAnswer, emptyBody) apply here.
	 */
	video(request: RecordedRequest, file: { seed: string; size: number; honourRange?: boolean }): void {
		const fault = this.fault;
		const changed = fault?.kind === 'fileChanged';
		const seed = changed ? `${file.seed}:changed` : file.seed;
		const { size } = file;
		const validators: Record<string, string> = fault?.kind === 'noValidators' ? {} : validatorsOf(seed);
		const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', ...validators };
		if (fault?.kind === 'emptyBody') return this.send(200, '', headers);
		if (fault?.kind === 'partialAnswer') {
			const end = Math.min(fault.bytes, size) - 1;
			return this.stream(206, videoStream(seed, size, 0, end), { ...headers, 'content-range': `bytes 0-${end}/${size}` }, end + 1);
		}
		const asked = file.honourRange === false ? undefined : parseRange(headerValue(request.headers.range), size);
		const ifRange = headerValue(request.headers['if-range']);
		const stillSame = ifRange === undefined || (changed && fault.ignoreIfRange === true) || ifRange === validators.etag || ifRange === validators['last-modified'];
		const range = stillSame ? asked : undefined;
		if (range) {
			const headersOfPart = { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}` };
			return this.stream(206, videoStream(seed, size, range.start, range.end), headersOfPart, range.end - range.start + 1);
		}
		this.stream(200, videoStream(seed, size), headers, size);
	}

	private send(status: number, text: string, headers: Record<string, string>): void {
		this.record.status = status;
		this.res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
		this.res.end(text);
	}

	private sendTruncated(
		status: number,
		whole: Buffer,
		afterBytes: number,
		headers: Record<string, string>,
	): void {
		this.record.status = status;
		this.res.writeHead(status, {
			'content-type': 'application/json',
			...headers,
			'content-length': String(whole.length),
		});
		this.res.write(whole.subarray(0, Math.min(afterBytes, whole.length - 1)));
		this.res.socket?.end(() => this.res.socket?.destroy());
	}

	/** Status, headers and the first `afterBytes` of a JSON body, then silence on an open connection. */
	private sendStalled(status: number, whole: Buffer, afterBytes: number, headers: Record<string, string>): void {
		this.record.status = status;
		this.res.writeHead(status, {
			'content-type': 'application/json',
			...headers,
			'content-length': String(whole.length),
		});
		this.res.write(whole.subarray(0, Math.min(afterBytes, whole.length - 1)));
	}

	/**
	 * Status and headers, then the JSON one byte every `intervalMs` and spaces after it
	 * (still valid JSON) for as long as the client listens: never silent long enough
	 * for an idle timeout, never finished.
	 */
	private sendTrickled(status: number, text: string, intervalMs: number, headers: Record<string, string>): void {
		this.record.status = status;
		this.res.writeHead(status, { 'content-type': 'application/json', ...headers });
		let sent = 0;
		const timer = setInterval(() => {
			this.res.write(sent < text.length ? text[sent] : ' ');
			sent++;
		}, intervalMs);
		this.res.on('close', () => clearInterval(timer));
	}

	/** A redirect (the request is not processed). */
	redirect(status: number, location: string): void {
		this.send(status, '', { location });
	}

	/** An error answer carrying the request's headers back, in the shape a careless upstream uses. */
	echo(status: number, shape: EchoShape): void {
		const headers = this.record.headers;
		const authorization = String(headers.authorization);
		const dump = Object.entries(headers)
			.map(([name, value]) => `${name}: ${String(value)}`)
			.join('\n');
		const token = authorization.replace(/^Bearer\s+/i, '');
		const echoed = {
			'www-authenticate': `Bearer realm="api", error="invalid_token", token="${token}"`,
			'x-echo-authorization': authorization,
		};
		if (shape === 'text') return this.send(status, `Upstream error. Request was:\n${dump}`, { 'content-type': 'text/plain', ...echoed });
		if (shape === 'html') {
			const page = `<!DOCTYPE html><html><head><title>${status} Error</title></head><body><h1>Error</h1><p>Your token ${token} was refused.</p><pre>${dump}</pre></body></html>`;
			return this.send(status, page, { 'content-type': 'text/html', ...echoed });
		}
		const body =
			shape === 'json'
				? { message: `Bad request, you sent ${authorization}`, request: { headers } }
				: shape === 'base64'
					? {
							message: `Rejected credential ${Buffer.from(`authorization: ${authorization}`).toString('base64')}`,
							trace: Buffer.from(`x${token}`).toString('base64'),
						}
					: shape === 'urlencoded'
						? { message: `Could not fetch ${encodeURIComponent(`https://api.example/cb?access=${token}&x=/`)}`, retry: `?t=${encodeURIComponent(token)}` }
						: {
								error: {
									message: `Proxy refused: ${dump}`,
									details: [{ seen: { headers: { Authorization: headers.authorization } } }, { raw: dump }],
								},
								description: `authorization=${authorization}`,
							};
		this.send(status, JSON.stringify(body), { 'content-type': 'application/json', ...echoed });
	}

	private drop(): void {
		this.record.status = 0;
		this.res.socket?.destroy();
	}
}

export abstract class SimulatorServer {
	readonly requests: RecordedRequest[] = [];

	readonly faults = new FaultPlan();

	private server: Server | undefined;

	private readonly sockets = new Set<Socket>();

	private port = 0;

	protected abstract route(request: SimRequest, reply: Reply): Promise<void> | void;

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(port = 0): Promise<string> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.listen(port, '127.0.0.1');
		await once(this.server, 'listening');
		this.port = (this.server.address() as AddressInfo).port;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Closes the port for a while, so clients see ECONNREFUSED, then listens again on it. */
	async refuseConnectionsFor(ms: number): Promise<void> {
		const port = this.port;
		await this.stop();
		setTimeout(() => void this.start(port), ms);
	}

	inject(rule: FaultRule): void {
		this.faults.add(rule);
	}

	/** How many requests matched, e.g. `count('POST', '/api/v1/generations')`. */
	count(method: string, path: string | RegExp): number {
		return this.matching(method, path).length;
	}

	matching(method: string, path: string | RegExp): RecordedRequest[] {
		return this.requests.filter(
			(r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
		);
	}

	resetLog(): void {
		this.requests.length = 0;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body: undefined,
		};
		this.requests.push(record);
		const fault = this.faults.take(record.method, record.path, record.query);
		if (fault?.kind === 'reset') {
			record.status = 0;
			req.socket.destroy();
			return;
		}
		let text: string;
		try {
			text = await readBody(req);
		} catch {
			res.writeHead(413).end();
			return;
		}
		if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		// Never answered: the connection stays open until the client gives up or the server stops.
		if (fault?.kind === 'noResponse') return;
		if (fault?.kind === 'trickleHeaders') return trickleHeaders(req.socket, fault.intervalMs);
		const reply = new Reply(res, record, fault);
		if (fault?.kind === 'redirect') {
			const location = typeof fault.location === 'string' ? fault.location : fault.location(record);
			return reply.redirect(fault.status ?? 302, location);
		}
		if (fault?.kind === 'echoHeaders') return reply.echo(fault.status, fault.as);
		if (fault?.kind === 'trickleBody' && fault.status) return reply.json(fault.status, { message: `Injected ${fault.status}` });
		if (fault?.kind === 'status') {
			const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
			reply.json(fault.status, fault.body ?? { message: `Injected ${fault.status}` }, headers);
			return;
		}
		if (text !== '') {
			try {
				record.body = JSON.parse(text) as unknown;
			} catch {
				record.body = text;
				reply.json(400, this.malformedBodyError());
				return;
			}
		}
		const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		try {
			await this.route({ ...record, raw: req, segments }, reply);
		} catch (error) {
			if (!res.headersSent) reply.json(500, { message: `Simulator bug: ${String(error)}` });
		}
	}

	protected malformedBodyError(): unknown {
		return { message: 'Request body is not valid JSON' };
	}
}

/** Where a fault cuts a streamed body off (truncate, and the video kinds given `afterBytes`). */
function cutAfter(fault: Fault | undefined): number | undefined {
	if (fault?.kind === 'truncate') return fault.afterBytes;
	if (fault?.kind === 'fileChanged' || fault?.kind === 'noValidators') return fault.afterBytes;
	return undefined;
}

/** A video version's strong ETag and Last-Modified (the seed names the version). */
export function validatorsOf(seed: string): { etag: string; 'last-modified': string } {
	const digest = createHash('sha256').update(seed).digest();
	const modified = new Date(Date.UTC(2026, 0, 1) + digest.readUInt32BE(0) * 1000);
	return { etag: `"${digest.toString('hex').slice(0, 16)}"`, 'last-modified': modified.toUTCString() };
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** A status line, then an endless header one byte at a time: the answer never completes. */
function trickleHeaders(socket: Socket, intervalMs: number): void {
	socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ');
	const timer = setInterval(() => socket.write('a'), intervalMs);
	socket.on('close', () => clearInterval(timer));
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_REQUEST_BODY) throw new Error('too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Parses `Range: bytes=a-b` against a size; undefined when absent or unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
	const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
	if (!match) return undefined;
	const [, from, to] = match;
	if (from === '' && to === '') return undefined;
	const start = from === '' ? Math.max(0, size - Number(to)) : Number(from);
	const end = from === '' || to === '' ? size - 1 : Math.min(Number(to), size - 1);
	return start <= end && start < size ? { start, end } : undefined;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
	const value = headers.authorization;
	const match = typeof value === 'string' ? /^Bearer\s+(.+)$/i.exec(value.trim()) : null;
	return match?.[1];
}
