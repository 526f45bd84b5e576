import type { INodeProperties } from 'n8n-workflow';

import * as downloadVideo from './downloadVideo.operation';
import * as downloadZip from './downloadZip.operation';
import * as generate from './generate.operation';
import * as getStatus from './getStatus.operation';
import * as list from './list.operation';

export { downloadVideo, downloadZip, generate, getStatus, list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['generation'] } },
		options: [
			{
				name: 'Download Video',
				value: 'downloadVideo',
				description: 'Download the mp4 of a finished generation',
				action: 'Download a video',
			},
			{
				name: 'Download Zip',
				value: 'downloadZip',
				description: 'Download the videos of many generations as zip archives (100 per archive)',
				action: 'Download videos as a zip',
			},
			{
				name: 'Generate',
				value: 'generate',
				description: 'Create a 3D rotating video for each input item',
				action: 'Generate videos',
			},
			{
				name: 'Get Many',
				value: 'list',
				description: 'List the generations of the account',
				action: 'Get many generations',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the status of a generation',
				action: 'Get the status of a generation',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...getStatus.description,
	...downloadVideo.description,
	...downloadZip.description,
	...list.description,
];
