import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as asset from './actions/asset/Asset.resource';
import * as job from './actions/job/Job.resource';
import { router } from './actions/router';
import * as video from './actions/video/Video.resource';
import { loadOptions } from './methods';
import { resumeWebhook, resumeWebhooks } from './webhook/resume';

export class Colossyan implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Colossyan',
		name: 'colossyan',
		icon: { light: 'file:colossyan.svg', dark: 'file:colossyan.dark.svg' },
		group: ['transform'],
		version: 1,
		// The picked operation's action, in words (test/editorRules.test.ts holds it to the operations' own).
		subtitle:
			'={{ ({"asset:createInstantAvatar":"Create an instant avatar","asset:listAvatars":"List avatars","asset:listVoices":"List voices","job:cancel":"Cancel a job","job:generate":"Generate a video","job:getStatus":"Get the status of a job","video:delete":"Delete a video","video:download":"Download a video","video:downloadZip":"Download videos as a zip","video:get":"Get a video"})[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Create AI avatar videos from a script or a template, and download them',
		defaults: { name: 'Colossyan' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'colossyanApi', required: true }],
		// Generate's "Until Colossyan Calls Back": the execution's resume URL (never a trigger).
		webhooks: resumeWebhooks,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Asset', value: 'asset', description: 'Avatars and voices' },
					{ name: 'Video', value: 'video', description: 'A generated video and its file' },
					{ name: 'Video Job', value: 'job', description: 'A video generation job' },
				],
				default: 'job',
			},
			...job.description,
			...video.description,
			...asset.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWebhook.call(this);
	}
}
