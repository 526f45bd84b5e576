import type { INodeProperties } from 'n8n-workflow';

import * as createInstantAvatar from './createInstantAvatar.operation';
import * as listAvatars from './listAvatars.operation';
import * as listVoices from './listVoices.operation';

export { createInstantAvatar, listAvatars, listVoices };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Create Instant Avatar',
				value: 'createInstantAvatar',
				description: 'Create an avatar from a video of a person; its name is usable at once as the avatar in Generate',
				action: 'Create an instant avatar',
			},
			{ name: 'List Avatars', value: 'listAvatars', description: 'Get the avatars of the workspace', action: 'List avatars' },
			{ name: 'List Voices', value: 'listVoices', description: 'Get the voices of the workspace', action: 'List voices' },
		],
		default: 'listAvatars',
	},
	...createInstantAvatar.description,
	...listAvatars.description,
	...listVoices.description,
];
