/** Get Status: the job's raw status, its normalised state and progress in percent. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mapItems } from '../../../shared/items';
import { getJob } from '../../helpers/api';
import { jobJson } from '../../helpers/status';
import { parseColossyanId } from '../../helpers/validation';
import { jobIdField, optionsCollection } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['getStatus'] } }, [
	jobIdField,
	optionsCollection(),
]);

export const effect = 'read';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await mapItems(this, async (itemIndex) => {
		const jobId = parseColossyanId(this, this.getNodeParameter('jobId', itemIndex), 'job', itemIndex);
		return { json: jobJson(await getJob(this, jobId, itemIndex)) };
	});
}
