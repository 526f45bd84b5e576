/** Get Status: the job's raw status, its normalised state and progress in percent. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getJob } from '../../helpers/api';
import { jobJson } from '../../helpers/status';
import { parseColossyanId } from '../../helpers/validation';

export const jobIdField: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '={{ $json.jobId }}',
	description: 'The ID of the video generation job, as Generate outputs it in "jobId"',
};

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['getStatus'] } }, [jobIdField]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const jobId = parseColossyanId(this, this.getNodeParameter('jobId', itemIndex), 'job', itemIndex);
		return { json: jobJson(await getJob(this, jobId, itemIndex)) };
	});
}
