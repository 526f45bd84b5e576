/**
 * The one stream between a response's socket and whoever reads the body. It notes
 * when bytes last came (the stall timeout), counts them (the length check) and,
 * when asked, resumes a broken body with a Range request: three jobs in one stream,
 * because every stream in between costs a pass per chunk. With a stream for each
 * job, a 1 GiB download on Node.js 24 took about 12% more CPU than the body alone,
 * and inside n8n 2.40.7 the package was 10-14% slower than n8n's HTTP Request node.
 */
import type { Readable as ReadableType } from 'node:stream';
import { finished, Readable } from 'node:stream';

export class TruncatedBodyError extends Error {
	constructor(
		readonly received: number,
		readonly expected: number,
	) {
		super(`received ${received} of ${expected} bytes`);
	}
}

/** The answer is not a whole file (an empty body, a part of one); said in the download's error. */
export class IncompleteAnswerError extends Error {}

/** Asks for the rest of a body from `offset` on; resolves to that rest, or rejects. */
export type ResumeFrom = (offset: number) => Promise<ReadableType>;

interface ResumePlan {
	total: number;
	from: ResumeFrom;
	left: number;
}

export class WatchedBody extends Readable {
	/** Bytes handed on so far, across resumes. */
	received = 0;

	lastProgressAt = Date.now();

	private source: ReadableType;

	private stopWatchingSource: () => void = () => undefined;

	private expected: number | undefined;

	private resumePlan: ResumePlan | undefined;

	/** A resume request is under way: the wait is the request's, not a stall. */
	private reopening = false;

	constructor(source: ReadableType) {
		super();
		this.source = source;
		this.attach(source);
	}

	private refusesEmpty = false;

	/** Fails the body with TruncatedBodyError unless exactly `bytes` arrive (undefined: any length). */
	expectLength(bytes: number | undefined): this {
		this.expected = bytes;
		return this;
	}

	private refusal: Error | undefined;

	/** Fails the body with `error` as soon as it is read or its source ends (the answer is not the file). */
	refuse(error: Error): this {
		this.refusal = error;
		return this;
	}

	/** Fails the body when it ends without a single byte (no file is empty). */
	refuseEmpty(): this {
		this.refusesEmpty = true;
		return this;
	}

	/** When the body breaks before `total` bytes, asks `from` for the rest, at most `times` times. */
	resumeWith(total: number, from: ResumeFrom, times: number): this {
		this.resumePlan = { total, from, left: times };
		return this;
	}

	/** The reader is behind (its buffer is full) or the rest is being asked for: the network is not stalling. */
	get waitsForReader(): boolean {
		return this.reopening || this.readableLength >= this.readableHighWaterMark;
	}

	/** Ends the current source with `error`: the body fails with it, or resumes where a resume is planned. */
	breakSource(error: Error): void {
		// Not left to the source's own end: a destroyed socket's body may report it late (Node 24).
		this.stopWatchingSource();
		// Without the error: no one listens to the source any more, and the error is ours to report.
		this.source.destroy();
		void this.sourceEnded(error);
	}

	_read(): void {
		if (this.refusal) {
			this.destroy(this.refusal);
			return;
		}
		this.source.resume();
	}

	_destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.stopWatchingSource();
		this.source.destroy();
		callback(error);
	}

	private attach(source: ReadableType): void {
		const onData = (chunk: Buffer): void => {
			this.received += chunk.length;
			this.lastProgressAt = Date.now();
			// A body longer than it should be is not the file: refused at once, so it cannot grow without bound.
			if (this.expected !== undefined && this.received > this.expected) {
				this.breakSource(new IncompleteAnswerError(`it sent more than the ${this.expected} bytes the file has`));
				return;
			}
			if (!this.push(chunk)) source.pause();
		};
		source.on('data', onData);
		const stopFinished = finished(source, (error) => {
			this.stopWatchingSource();
			void this.sourceEnded(error ?? undefined);
		});
		this.stopWatchingSource = () => {
			source.off('data', onData);
			stopFinished();
			// A late error of a source let go of (e.g. its socket closing) has no one else to go to.
			source.on('error', () => undefined);
		};
	}

	private async sourceEnded(error: Error | undefined): Promise<void> {
		if (this.destroyed) return;
		if (this.refusal) {
			this.destroy(this.refusal);
			return;
		}
		const resume = this.resumePlan;
		if (resume && this.received < resume.total) {
			if (resume.left <= 0) {
				this.destroy(error ?? new Error(`the body ended after ${this.received} of ${resume.total} bytes`));
				return;
			}
			await this.resumeAt(resume);
			return;
		}
		if (error) {
			this.destroy(error);
			return;
		}
		if (this.refusesEmpty && this.received === 0) {
			this.destroy(new IncompleteAnswerError('the server sent an empty file'));
			return;
		}
		if (this.expected !== undefined && this.received !== this.expected) {
			this.destroy(new TruncatedBodyError(this.received, this.expected));
			return;
		}
		this.push(null);
	}

	private async resumeAt(resume: ResumePlan): Promise<void> {
		resume.left--;
		this.source.destroy();
		this.reopening = true;
		try {
			const rest = await resume.from(this.received);
			if (this.destroyed) {
				rest.destroy();
				return;
			}
			this.source = rest;
			this.lastProgressAt = Date.now();
			// Its 'data' listener starts the flow; a full buffer pauses it again at the first push.
			this.attach(rest);
		} catch (error) {
			this.destroy(error instanceof Error ? error : new Error(String(error)));
		} finally {
			this.reopening = false;
		}
	}
}
