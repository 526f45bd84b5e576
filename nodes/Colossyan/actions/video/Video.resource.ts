import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as downloadZip from './downloadZip.operation';
import * as get from './get.operation';

export { download, downloadZip, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{ name: 'Download Video', value: 'download', description: 'Download the mp4 of a finished video', action: 'Download a video' },
			{ name: 'Download Zip', value: 'downloadZip', description: 'Download the videos of all input items as one zip', action: 'Download videos as a zip' },
			{ name: 'Get', value: 'get', description: 'Get a generated video\'s details (URL, size, duration)', action: 'Get a video' },
		],
		default: 'download',
	},
	...download.description,
	...downloadZip.description,
	...get.description,
];
