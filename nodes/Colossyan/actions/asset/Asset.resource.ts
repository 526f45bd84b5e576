import type { INodeProperties } from 'n8n-workflow';

import * as listAvatars from './listAvatars.operation';
import * as listVoices from './listVoices.operation';

export { listAvatars, listVoices };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{ name: 'List Avatars', value: 'listAvatars', description: 'Get the avatars of the workspace', action: 'List avatars' },
			{ name: 'List Voices', value: 'listVoices', description: 'Get the voices of the workspace', action: 'List voices' },
		],
		default: 'listAvatars',
	},
	...listAvatars.description,
	...listVoices.description,
];
