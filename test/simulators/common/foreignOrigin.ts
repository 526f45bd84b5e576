/**
 * Another origin (same 127.0.0.1, another port) that a simulator can redirect
 * to: it serves a video for any GET and a JSON object for paths ending in
 * `.json`, and records every request, so a test can check whether an
 * Authorization header (or anything else) arrived where it must not.
 */
import type { Reply, SimRequest } from './server';
import { SimulatorServer } from './server';

export const FOREIGN_VIDEO_BYTES = 48 * 1024;

export class ForeignOrigin extends SimulatorServer {
	/** Status to answer with instead of content (e.g. 403, as a CDN refusing an unsigned URL). */
	answerStatus: number | undefined;

	/** Every Authorization header that reached this origin. */
	get authorizationsSeen(): string[] {
		return this.requests.map((r) => r.headers.authorization).filter((value): value is string => value !== undefined);
	}

	protected route(request: SimRequest, reply: Reply): void {
		if (this.answerStatus !== undefined) return reply.json(this.answerStatus, { message: 'Forbidden by the foreign origin' });
		if (request.path.endsWith('.json')) return reply.json(200, { foreign: true, userId: 'foreign', credits: 1 });
		// Served like a file host: ETag, Last-Modified, Range and If-Range (a download through it can resume).
		reply.video(request, { seed: `foreign:${request.path}`, size: FOREIGN_VIDEO_BYTES });
	}
}
