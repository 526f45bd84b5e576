/**
 * What the callback wait has learned about its jobs, kept in the n8n process.
 *
 * Why not in the saved execution: n8n saves a waiting execution only when it
 * continues; a callback that leaves it waiting cannot change it. So the jobs
 * already seen ended are remembered here, per wait, which is what keeps the
 * cost of the callbacks linear (docs/colossyan-callbacks.md): a job is read at
 * most once after it has ended, a replayed callback reads nothing. Losing the
 * memory (a restart, another n8n process, eviction) costs reads, never
 * correctness: every decision is still taken from Colossyan's API.
 */
import type { VideoJob } from '../helpers/types';

export interface WaitMemory {
	/** Jobs Colossyan's API reported ended (finished, failed, deleted): final, never read again. */
	ended: Map<string, VideoJob>;
	/** A call could not finish its check (Colossyan unreachable): the next call checks again. */
	unsure: boolean;
	/** Items whose job creation answer was lost, with the job Colossyan's API confirmed for them (lostJob.ts). */
	recovered: Map<number, string>;
	/** The execution has been continued; later calls only acknowledge. */
	continuing: boolean;
}

/** At most this many waits, and jobs in all, are remembered (the least recently called back wait is forgotten first). */
const MAX_WAITS = 1000;
const MAX_JOBS = 100_000;
const memories = new Map<string, WaitMemory>();

export function memoryOf(key: string): WaitMemory {
	const known = memories.get(key);
	memories.delete(key);
	const memory = known ?? { ended: new Map(), recovered: new Map(), unsure: false, continuing: false };
	memories.set(key, memory);
	let jobs = 0;
	for (const remembered of memories.values()) jobs += remembered.ended.size;
	for (const [oldest, forgotten] of memories) {
		if (oldest === key || (memories.size <= MAX_WAITS && jobs <= MAX_JOBS)) break;
		jobs -= forgotten.ended.size;
		memories.delete(oldest);
	}
	return memory;
}

/** What the output needs of an ended job, and no more (the API's answer may carry the whole request). */
export function endedJob(job: VideoJob): VideoJob {
	const { id, videoId, status, progress, maximumProgress } = job;
	return { id, videoId, status, progress, maximumProgress };
}
