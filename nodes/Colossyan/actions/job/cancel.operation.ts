/** Cancel: deletes a job; Colossyan answers 200 with no body. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { parseColossyanId } from '../../helpers/validation';
import { colossyanRequest } from '../../transport';
import { jobIdField, optionsCollection } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['cancel'] } }, [
	jobIdField,
	optionsCollection(),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const jobId = parseColossyanId(this, this.getNodeParameter('jobId', itemIndex), 'job', itemIndex);
		await colossyanRequest(this, {
			method: 'DELETE',
			path: `/video-generation-jobs/${encodeURIComponent(jobId)}`,
			itemIndex,
			notFound: `no video generation job ${jobId} in this workspace`,
		});
		return { json: { jobId, canceled: true } };
	});
}
