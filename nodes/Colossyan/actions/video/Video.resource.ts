import type { INodeProperties } from 'n8n-workflow';

import * as deleteVideo from './delete.operation';
import * as download from './download.operation';
import * as downloadZip from './downloadZip.operation';
import * as get from './get.operation';

export { deleteVideo as delete, download, downloadZip, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a generated video in Colossyan for good (cannot be undone)',
				action: 'Delete a video',
			},
			{ name: 'Download Video', value: 'download', description: 'Download the mp4 of a finished video', action: 'Download a video' },
			{ name: 'Download Zip', value: 'downloadZip', description: 'Download the videos of all input items as one zip', action: 'Download videos as a zip' },
			{ name: 'Get', value: 'get', description: 'Get a generated video\'s details (temporary URL, subtitles, size, duration)', action: 'Get a video' },
		],
		default: 'download',
	},
	...deleteVideo.description,
	...download.description,
	...downloadZip.description,
	...get.description,
];
