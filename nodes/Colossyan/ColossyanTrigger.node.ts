import type {
	IBinaryData,
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { binaryPropertyOption } from '../shared/descriptions';
import { messageOf } from '../shared/items';
import { isHttpUrl } from '../shared/errorText';
import { downloadVideoFile } from './helpers/video';
import { bodySize, callbackBody, callbackJson, MAX_CALLBACK_BYTES, reply } from './trigger/callback';
import { isVerified, SHARED_SECRET_PARAMETER } from './trigger/verify';

export class ColossyanTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Colossyan Trigger',
		name: 'colossyanTrigger',
		icon: { light: 'file:colossyan.svg', dark: 'file:colossyan.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when Colossyan calls back: a video is finished or failed',
		defaults: { name: 'Colossyan Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'colossyanApi', required: true, displayOptions: { show: { verification: ['signature'] } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Copy this node\'s Production URL (above) into the Callback URL of the Colossyan node\'s Generate operation, then activate the workflow. While testing, use the Test URL instead.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Video Failed', value: 'failed' },
					{ name: 'Video Finished', value: 'finished' },
				],
				default: ['finished'],
				required: true,
			},
			{
				displayName: 'Verify Callbacks',
				name: 'verification',
				type: 'options',
				options: [
					{
						name: 'Signature Added by the Colossyan Node',
						value: 'signature',
						description: 'For jobs created by the Colossyan node with the same credential (no setup)',
					},
					{
						name: 'Shared Secret in the URL',
						value: 'sharedSecret',
						description: `For jobs created outside n8n: append ?${SHARED_SECRET_PARAMETER}=YOUR_SECRET to the callback URL you give Colossyan`,
					},
					{
						name: 'None (Not Recommended)',
						value: 'none',
						description: 'Anyone who learns the URL can start the workflow',
					},
				],
				default: 'signature',
				description: 'Colossyan does not sign its callbacks; callbacks that fail verification get 401 and start nothing',
			},
			{
				displayName: 'Shared Secret',
				name: 'sharedSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				hint: `Append ?${SHARED_SECRET_PARAMETER}= followed by this secret to the Production URL when you give it to Colossyan. Use a long random value.`,
				displayOptions: { show: { verification: ['sharedSecret'] } },
			},
			{
				displayName: 'Download Video',
				name: 'downloadVideo',
				type: 'boolean',
				default: false,
				description: 'Whether to attach the finished video as binary data (streamed from its public URL)',
			},
			{ ...binaryPropertyOption, displayOptions: { show: { downloadVideo: [true] } } },
		],
	};

	// Colossyan has no API to register callbacks: each job carries its own URL,
	// so there is nothing to create or delete when the workflow is (de)activated.
	webhookMethods = {
		default: {
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (!(await isVerified(this, this.getQueryData() as Record<string, unknown>))) {
			return reply(this, 401, 'Unauthorized');
		}
		if (bodySize(this) > MAX_CALLBACK_BYTES) return reply(this, 413, 'Callback body too large');
		const body = callbackBody(this);
		if (!body) return reply(this, 400, 'Expected a JSON object with a "status" field');

		const json = callbackJson(body);
		const event = json.state === 'done' ? 'finished' : json.state === 'failed' ? 'failed' : undefined;
		const events = this.getNodeParameter('events', ['finished']) as string[];
		if (!event || !events.includes(event)) return { webhookResponse: { received: true, ignored: `status ${String(body.status)}` } };

		const binary = event === 'finished' ? await attachVideo(this, json) : undefined;
		return { workflowData: [[{ json, ...(binary ? { binary } : {}) }]] };
	}
}

/** The video as binary, when asked; a failed download is reported in the item, the callback is not lost. */
async function attachVideo(context: IWebhookFunctions, json: IDataObject): Promise<Record<string, IBinaryData> | undefined> {
	if (!(context.getNodeParameter('downloadVideo', false) as boolean)) return undefined;
	const url = typeof json.url === 'string' ? json.url : '';
	if (!isHttpUrl(url)) {
		json.downloadError = 'The callback has no http(s) file URL to download';
		return undefined;
	}
	const property = context.getNodeParameter('binaryPropertyName', 'data') as string;
	const fileId = new URL(url).pathname.split('/').pop()?.replace(/\.mp4$/i, '') || 'callback';
	try {
		return { [property]: await downloadVideoFile(context, { url, id: fileId }) };
	} catch (error) {
		json.downloadError = messageOf(error);
		return undefined;
	}
}
