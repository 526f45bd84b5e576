import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as generate from './generate.operation';
import * as getStatus from './getStatus.operation';

export { cancel, generate, getStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{ name: 'Cancel', value: 'cancel', description: 'Cancel (delete) a video generation job', action: 'Cancel a job' },
			{ name: 'Generate', value: 'generate', description: 'Create an avatar video for each input item', action: 'Generate a video' },
			{ name: 'Get Status', value: 'getStatus', description: 'Get the status and progress of a job', action: 'Get the status of a job' },
		],
		default: 'generate',
	},
	...generate.description,
	...getStatus.description,
	...cancel.description,
];
