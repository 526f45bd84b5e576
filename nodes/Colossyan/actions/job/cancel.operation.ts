/** Cancel: deletes a job; Colossyan answers 200 with no body. */
import { updateDisplayOptions } from 'n8n-workflow';

import { eachCheckedItem } from '../../../shared/items';
import { parseColossyanId } from '../../helpers/validation';
import { colossyanRequest } from '../../transport';
import { jobIdField, optionsCollection } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['cancel'] } }, [
	jobIdField,
	optionsCollection(),
]);

export const effect = 'destructive';

/** Every item's job ID is checked before any job is cancelled (shared/items.ts). */
export const checksFirst = eachCheckedItem(
	(context, itemIndex) => parseColossyanId(context, context.getNodeParameter('jobId', itemIndex), 'job', itemIndex),
	async (context, jobId: string, itemIndex) => {
		await colossyanRequest(context, {
			method: 'DELETE',
			path: `/video-generation-jobs/${encodeURIComponent(jobId)}`,
			itemIndex,
			notFound: `no video generation job ${jobId} in this workspace`,
		});
		return { json: { jobId, canceled: true } };
	},
);
