import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as account from './account/Account.resource';
import * as generation from './generation/Generation.resource';
import type { RotateProductType } from './node.type';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as RotateProductType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const call = { resource, operation } as RotateProductType;

	let output: INodeExecutionData[];
	switch (call.resource) {
		case 'generation':
			output = await generation[call.operation].execute.call(this);
			break;
		case 'account':
			output = await account[call.operation].execute.call(this);
			break;
		default:
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	return [output];
}
