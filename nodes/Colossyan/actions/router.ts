import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as asset from './asset/Asset.resource';
import * as job from './job/Job.resource';
import type { ColossyanType } from './node.type';
import * as video from './video/Video.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as ColossyanType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const call = { resource, operation } as ColossyanType;

	let output: INodeExecutionData[];
	switch (call.resource) {
		case 'job':
			output = await job[call.operation].execute.call(this);
			break;
		case 'video':
			output = await video[call.operation].execute.call(this);
			break;
		case 'asset':
			output = await asset[call.operation].execute.call(this);
			break;
		default:
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	return [output];
}
