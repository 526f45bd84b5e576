/**
 * Waiting for jobs: Colossyan has no list endpoint, so each round reads the
 * jobs still running, one request each, at growing intervals.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { PollSchedule } from '../../shared/waiting';
import { pollUntil } from '../../shared/waiting';
import { getJob } from './api';
import { jobState } from './status';
import type { VideoJob } from './types';

export interface JobWaitResult {
	jobs: Map<string, VideoJob>;
	timedOut: boolean;
	rounds: number;
}

/** `jobs` maps each job id to the item it belongs to, so a failing read names the item. */
export async function waitForJobs(
	context: IExecuteFunctions,
	jobs: Map<string, number>,
	schedule: PollSchedule,
	/** Filled as states arrive, so a caller still has them when the wait fails. */
	latest = new Map<string, VideoJob>(),
): Promise<JobWaitResult> {
	const isSettled = (jobId: string) => {
		const job = latest.get(jobId);
		return job !== undefined && jobState(job.status) !== 'running';
	};
	const outcome = await pollUntil(
		context,
		async () => {
			for (const [jobId, itemIndex] of jobs) {
				if (!isSettled(jobId)) latest.set(jobId, await getJob(context, jobId, itemIndex));
			}
			return latest;
		},
		() => [...jobs.keys()].every(isSettled),
		schedule,
	);
	return { jobs: latest, timedOut: outcome.timedOut, rounds: outcome.checks };
}
