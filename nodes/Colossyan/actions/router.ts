import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as asset from './asset/Asset.resource';
import * as job from './job/Job.resource';
import type { NodeMap, Operation, Operations } from './node.type';
import * as video from './video/Video.resource';

/** Typed: every operation declares its effect, and a paid or destructive one runs only checked first. */
const OPERATIONS: Operations = { job, video, asset };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as keyof NodeMap;
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations = OPERATIONS[resource] as Record<string, Operation> | undefined;
	const chosen = operations && Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
	if (!chosen || typeof chosen !== 'object' || !('effect' in chosen)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const output = chosen.effect === 'read' ? await chosen.execute.call(this) : await chosen.checksFirst.run(this);
	return [output];
}
