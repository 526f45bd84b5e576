/**
 * Generate's paid part: every item's request is built and checked first, so a
 * bad item 2 is found before items 0 and 1 are paid for; then one POST per item.
 * A failing POST never loses the jobs created before it.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CheckedRequest } from '../../shared/items';
import { errorItem, messageOf, withItemIndex } from '../../shared/items';
import { createdList } from '../../shared/paidWork';
import { colossyanApiToken, colossyanJson } from '../transport';
import { listAssets } from './api';
import type { JobRequest, RequestInputs } from './jobRequest';
import { buildJobRequest } from './jobRequest';
import { withCallback } from '../webhook/resumeUrl';
import { jobJson } from './status';
import type { Avatar, CreatedJob } from './types';

export type PreparedJob = CheckedRequest<JobRequest>;

export interface CreatedEntry {
	itemIndex: number;
	job: CreatedJob;
}

/** How each item's request is built and checked, for `checkedFirst`: a bad item stops the node before any paid call (or, with Continue On Fail, is an error item). */
export function jobRequestChecker(context: IExecuteFunctions): (itemIndex: number) => Promise<JobRequest> {
	const inputs = requestInputs(context);
	return async (itemIndex) => await buildJobRequest(context, itemIndex, inputs);
}

/** `callback`: each item's callback URL (replacing the Callback URL field) when Generate waits for it. */
export async function createJobs(
	context: IExecuteFunctions,
	prepared: PreparedJob[],
	callback?: (itemIndex: number) => string,
): Promise<{ created: CreatedEntry[]; errorItems: INodeExecutionData[] }> {
	const created: CreatedEntry[] = [];
	const errorItems: INodeExecutionData[] = [];
	for (const { itemIndex, request: built } of prepared) {
		const request = callback ? withCallback(built, callback(itemIndex)) : built;
		try {
			const job = await colossyanJson<CreatedJob>(context, {
				method: 'POST',
				path: request.path,
				body: request.body,
				paid: true,
				itemIndex,
				notFound: request.path.endsWith('template-jobs') ? 'no such template job in this workspace' : undefined,
			});
			created.push({ itemIndex, job });
		} catch (error) {
			if (!context.continueOnFail()) throw failedWithCreated(context, error, itemIndex, created);
			errorItems.push(errorItem(context.getNode(), error, itemIndex));
		}
	}
	return { created, errorItems };
}

export function createdJobOutput(entry: CreatedEntry): INodeExecutionData {
	// `in_queue` is the documented first status of every job.
	const json = jobJson({ id: entry.job.id, videoId: entry.job.videoId, status: 'in_queue' });
	return { json, pairedItem: { item: entry.itemIndex } };
}

/** Avatars and the token are fetched at most once per execution, and only when needed. */
function requestInputs(context: IExecuteFunctions): RequestInputs {
	let avatars: Promise<Avatar[]> | undefined;
	let token: Promise<string> | undefined;
	return {
		avatars: async () => await (avatars ??= listAssets(context, 'actors') as Promise<Avatar[]>),
		apiToken: async () =>
			await (token ??= colossyanApiToken(context)),
	};
}

function failedWithCreated(context: IExecuteFunctions, error: unknown, itemIndex: number, created: CreatedEntry[]): Error {
	if (created.length === 0) return withItemIndex(context, error, itemIndex);
	const jobs = createdList(created.map((c) => ({ itemIndex: c.itemIndex, id: c.job.id })), 'job');
	const cause = (error as { description?: unknown }).description;
	return new NodeOperationError(context.getNode(), `Item ${itemIndex} could not be submitted: ${messageOf(error)}`, {
		itemIndex,
		description: [
			typeof cause === 'string' ? cause : '',
			`Jobs already created for earlier items (not lost): ${jobs}.`,
			'Turn on "Continue On Fail" to get them as output items next to the errors.',
		]
			.filter(Boolean)
			.join(' '),
	});
}
