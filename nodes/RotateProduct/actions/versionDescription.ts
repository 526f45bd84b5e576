import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './account/Account.resource';
import * as generation from './generation/Generation.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'RotateProduct',
	name: 'rotateProduct',
	icon: { light: 'file:rotateProduct.svg', dark: 'file:rotateProduct.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description: 'Turn product images into 3D rotating product videos, in bulk',
	defaults: { name: 'RotateProduct' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'rotateProductApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Account', value: 'account' },
				{ name: 'Generation', value: 'generation' },
			],
			default: 'generation',
		},
		...generation.description,
		...account.description,
	],
};
