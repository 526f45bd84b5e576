/**
 * Generate's "Wait for Completion" and "Download Video" after the jobs exist:
 * Colossyan's side of the shared finish (`shared/finishPaidWork.ts`).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { finishPaidWork } from '../../shared/finishPaidWork';
import type { CreatedEntry } from './createJobs';
import { jobJson } from './status';
import type { VideoJob } from './types';
import { JOB_POLL } from './types';
import { downloadGeneratedVideo, readyVideo } from './video';
import { waitForJobs } from './wait';

/** One output item per created job, paired with its input item. */
export async function finishJobs(context: IExecuteFunctions, created: CreatedEntry[]): Promise<INodeExecutionData[]> {
	const latest = new Map<string, VideoJob>();
	return await finishPaidWork(context, created, {
		noun: 'job',
		howToCheck: 'Check them with Get Status or Download Video.',
		downloadParameter: 'downloadVideo',
		poll: JOB_POLL,
		idOf: (entry) => entry.job.id,
		wait: async (entries, schedule) =>
			await waitForJobs(context, new Map(entries.map((c) => [c.job.id, c.itemIndex])), schedule, latest),
		jsonOf: ({ job }) => {
			// `in_queue` is the documented first status of every job.
			const known = latest.get(job.id) ?? { ...job, status: 'in_queue' };
			return jobJson({ ...known, videoId: known.videoId ?? job.videoId });
		},
		download: async (entry) => {
			const { video } = await readyVideo(context, { by: 'video', id: entry.job.videoId }, entry.itemIndex);
			return await downloadGeneratedVideo(context, video, entry.itemIndex);
		},
	});
}
