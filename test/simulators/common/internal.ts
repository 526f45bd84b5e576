/**
 * A server standing for private address space (it listens on 127.0.0.1, which
 * the URL guard must treat as internal unless allow-listed). It records every
 * request, so a test can prove nothing reached it, and serves what the attacks
 * on the Colossyan Trigger's Download Video need:
 * - `/secret`: the "internal" answer a forged callback would like to steal;
 * - `/redirect?to=<url>`: a 302 to any URL (a public hop into private space);
 * - `/video/<bytes>.mp4`: a file of that size, its bytes from videoBytes;
 * - `/stall.mp4`: headers and 1 KiB, then nothing (a stalled body);
 * - `/slow.mp4`: the file only once the test calls `releaseSlow()`;
 * - `/oversized.mp4`: 10 KiB with an honest Content-Length.
 */
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';

import type { Reply, SimRequest } from './server';
import { SimulatorServer } from './server';
import { videoBuffer, videoStream } from './videoBytes';

export const INTERNAL_SECRET = 'internal-only: db password 1234';
export const INTERNAL_VIDEO_SEED = 'internal-video';

export class InternalServer extends SimulatorServer {
	private readonly slow: PassThrough[] = [];

	private readonly stalled: PassThrough[] = [];

	protected route(request: SimRequest, reply: Reply): void {
		const [first, second] = request.segments;
		if (first === 'secret') return reply.json(200, { secret: INTERNAL_SECRET });
		if (first === 'redirect') return reply.json(302, {}, { location: request.query.get('to') ?? '/' });
		if (first === 'video' && second) {
			const size = Number(second.replace(/\.mp4$/, ''));
			return reply.stream(200, videoStream(INTERNAL_VIDEO_SEED, size), { 'content-type': 'video/mp4' }, size);
		}
		if (first === 'stall.mp4') return reply.stream(200, this.hold(this.stalled, videoBuffer(INTERNAL_VIDEO_SEED, 1024)), { 'content-type': 'video/mp4' }, 90_000);
		if (first === 'slow.mp4') return reply.stream(200, this.hold(this.slow), { 'content-type': 'video/mp4' }, 2048);
		if (first === 'oversized.mp4') return reply.stream(200, videoStream(INTERNAL_VIDEO_SEED, 10_240), { 'content-type': 'video/mp4' }, 10_240);
		reply.json(404, { message: 'Not Found' });
	}

	/** Sends the slow file's 2 KiB to every request waiting for it. */
	releaseSlow(): void {
		for (const body of this.slow.splice(0)) body.end(videoBuffer(INTERNAL_VIDEO_SEED, 2048));
	}

	async stop(): Promise<void> {
		for (const body of [...this.slow.splice(0), ...this.stalled.splice(0)]) body.destroy();
		await super.stop();
	}

	private hold(list: PassThrough[], first?: Buffer): Readable {
		const body = new PassThrough();
		if (first) body.write(first);
		list.push(body);
		return body;
	}

	/** Requests that reached this server for a path (the attacks must leave this at zero). */
	hits(path?: string): number {
		return this.requests.filter((request) => path === undefined || request.path === path).length;
	}
}
