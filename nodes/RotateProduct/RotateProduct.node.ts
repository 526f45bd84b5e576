import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as generation from './actions/generation/Generation.resource';
import { router } from './actions/router';

export class RotateProduct implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RotateProduct',
		name: 'rotateProduct',
		icon: { light: 'file:rotateProduct.svg', dark: 'file:rotateProduct.dark.svg' },
		group: ['transform'],
		version: 1,
		// The picked operation's action, in words (test/editorRules.test.ts holds it to the operations' own).
		subtitle:
			'={{ ({"account:getCredits":"Get credits","generation:downloadVideo":"Download a video","generation:downloadZip":"Download videos as a zip","generation:generate":"Generate videos","generation:list":"Get many generations","generation:getStatus":"Get the status of a generation"})[$parameter["resource"] + ":" + $parameter["operation"]] }}',
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

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
