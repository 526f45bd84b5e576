/** Job statuses normalised to the state both nodes and the trigger output. */
import type { IDataObject } from 'n8n-workflow';

import type { JobState } from '../../shared/state';
import { isoServerTime } from '../../shared/time';
import type { VideoJob } from './types';

/**
 * The API's statuses are lower case (`finished`, `failed`, `deleted`); the
 * lifecycle diagram capitalises them and adds a cancelled state, so any case and
 * both spellings of cancelled are read. Every status comparison goes through here.
 */
const DONE = new Set(['finished']);
const FAILED = new Set(['failed', 'deleted', 'cancelled', 'canceled']);

export function jobState(status: unknown): JobState {
	const word = typeof status === 'string' ? status.trim().toLowerCase() : '';
	if (DONE.has(word)) return 'done';
	if (FAILED.has(word)) return 'failed';
	return 'running';
}

/** Whether the job ended without a video because it was deleted or cancelled (not because it failed). */
export function wasDeleted(status: unknown): boolean {
	return jobState(status) === 'failed' && typeof status === 'string' && status.trim().toLowerCase() !== 'failed';
}

/** progress / maximumProgress as a whole percentage; a finished job is 100. */
export function progressPercent(job: Pick<VideoJob, 'status' | 'progress' | 'maximumProgress'>): number {
	if (jobState(job.status) === 'done') return 100;
	const { progress, maximumProgress } = job;
	if (typeof progress !== 'number' || typeof maximumProgress !== 'number' || maximumProgress <= 0) return 0;
	return Math.max(0, Math.min(100, Math.round((progress / maximumProgress) * 100)));
}

export function jobJson(job: VideoJob): IDataObject {
	return {
		jobId: job.id,
		videoId: job.videoId ?? null,
		state: jobState(job.status),
		status: job.status,
		// Colossyan's raw counters (e.g. 200 of 200) stay out: the percentage says it in one field.
		progressPercent: progressPercent(job),
		// Only where Colossyan said it (a job read, not the create answer).
		...(job.creationDate !== undefined ? { createdAt: isoServerTime(job.creationDate) } : {}),
	};
}
