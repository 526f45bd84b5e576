/**
 * The items a callback-waiting Generate continues with: the same as polling
 * gives (state, progress, ids, optionally the video as binary), in item order,
 * each paired with its input item.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { messageOf } from '../../shared/items';
import { createdErrorItem } from '../../shared/paidWork';
import { jobJson } from '../helpers/status';
import type { VideoJob } from '../helpers/types';
import { downloadGeneratedVideo, lookupVideo } from '../helpers/video';
import type { ResumeSettings } from './resumeUrl';

/** One item the execution waits with: a job (`jobId`) or an item that had already failed. */
export interface WaitingItem {
	itemIndex: number;
	jobId?: string;
	videoId?: string;
	/** The job was found after its creation answer was lost (lostJob.ts). */
	recovered?: boolean;
	item: INodeExecutionData;
}

export const RECOVERED_NOTE =
	'The answer to this job\'s creation was lost, so the node first reported it as possibly created; Colossyan then called back for it and its API confirmed the job.';

/** The waiting items from the node's input, as `pause.ts` left them; undefined when they are not that. */
export function waitingItemsOf(items: unknown): WaitingItem[] | undefined {
	if (!Array.isArray(items)) return undefined;
	const waiting: WaitingItem[] = [];
	for (const entry of items as INodeExecutionData[]) {
		const paired = entry?.pairedItem;
		const itemIndex = typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : undefined;
		if (typeof itemIndex !== 'number' || typeof entry.json !== 'object' || entry.json === null) return undefined;
		const { jobId, videoId } = entry.json;
		waiting.push({
			itemIndex,
			jobId: typeof jobId === 'string' ? jobId : undefined,
			videoId: typeof videoId === 'string' ? videoId : undefined,
			item: entry,
		});
	}
	return waiting;
}

/** n8n's continueOnFail() reading of the node settings (webhook contexts do not offer it). */
function continuesOnFail(context: IWebhookFunctions): boolean {
	const node = context.getNode();
	if (node.onError === undefined) return node.continueOnFail === true;
	return node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput';
}

export async function finalItems(
	context: IWebhookFunctions,
	waiting: WaitingItem[],
	jobs: Map<string, VideoJob>,
	settings: ResumeSettings,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const entry of waiting) {
		const job = entry.jobId === undefined ? undefined : jobs.get(entry.jobId);
		if (!job) {
			output.push(entry.item);
			continue;
		}
		const json: IDataObject = { ...jobJson({ ...job, videoId: job.videoId ?? entry.videoId }), ...(entry.recovered ? { note: RECOVERED_NOTE } : {}) };
		const item: INodeExecutionData = { json, pairedItem: { item: entry.itemIndex } };
		if (settings.download && json.state === 'done') {
			try {
				item.binary = { [settings.binaryPropertyName]: await downloadVideoOf(context, json, entry.itemIndex) };
			} catch (error) {
				if (!continuesOnFail(context)) throw failedDownload(context, error, entry, waiting);
				// As polling does: the id stays on the item, on either output.
				output.push(createdErrorItem(context.getNode(), error, { itemIndex: entry.itemIndex, id: job.id, noun: 'job' }, json));
				continue;
			}
		}
		output.push(item);
	}
	return output;
}

async function downloadVideoOf(context: IWebhookFunctions, json: IDataObject, itemIndex: number) {
	const found = await lookupVideo(context, { by: 'video', id: String(json.videoId) }, itemIndex);
	if (!found.ready) throw new Error(`Video ${String(json.videoId)} has no file yet`);
	return await downloadGeneratedVideo(context, found.video, itemIndex);
}

/** Every job is named, so nothing paid is lost when the continuation fails. */
function failedDownload(context: IWebhookFunctions, error: unknown, entry: WaitingItem, waiting: WaitingItem[]): Error {
	const jobs = waiting.filter((w) => w.jobId).map((w) => `item ${w.itemIndex}: job ${String(w.jobId)}`).join(', ');
	// The jobs are in the message too: it is what n8n keeps of a continuation that failed.
	return new NodeOperationError(context.getNode(), `The video of item ${entry.itemIndex} could not be downloaded: ${messageOf(error)}. Every job has ended (${jobs})`, {
		itemIndex: entry.itemIndex,
		description: `Created and paid (not lost, do not create them again): ${jobs}. Download the videos with Download Video, or turn on "Continue On Fail".`,
	});
}
