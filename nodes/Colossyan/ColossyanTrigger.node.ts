import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { binaryPropertyOption, optionsCollection } from '../shared/descriptions';
import { attachVideo } from './trigger/download';
import { bodySize, callbackBody, callbackJson, MAX_CALLBACK_BYTES, reply } from './trigger/callback';
import { claimDelivery, deliveryKey, releaseDelivery } from './trigger/replay';
import { assertUsableSecret, MIN_SECRET_LENGTH, SHARED_SECRET_PARAMETER, verificationOf, verify } from './trigger/verify';

export class ColossyanTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Colossyan Trigger',
		name: 'colossyanTrigger',
		icon: { light: 'file:colossyan.svg', dark: 'file:colossyan.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when Colossyan calls back: a video is finished (or failed, if Colossyan sends failures)',
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
					{
						name: 'Video Failed',
						value: 'failed',
						description: 'Only if Colossyan sends failure callbacks: its docs promise callbacks for finished videos only',
					},
					{ name: 'Video Finished', value: 'finished', description: 'The callback Colossyan documents' },
				],
				default: ['finished'],
				required: true,
				hint: 'Colossyan documents callbacks for finished videos only; a failed video may never call back. To learn about failures, check the jobs with the Colossyan node (Get Status, or Generate with Wait for Completion).',
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
				hint: `Append ?${SHARED_SECRET_PARAMETER}= followed by this secret to the Production URL when you give it to Colossyan. At least ${MIN_SECRET_LENGTH} characters: use a long random value.`,
				displayOptions: { show: { verification: ['sharedSecret'] } },
			},
			{
				displayName: 'Download Video',
				name: 'downloadVideo',
				type: 'boolean',
				default: false,
				description:
					'Whether to attach the finished video as binary data. When the callback names the video, Colossyan\'s API confirms it and gives the file\'s URL; only public addresses are fetched.',
			},
			{ ...binaryPropertyOption, displayOptions: { show: { downloadVideo: [true] } } },
			{
				displayName: 'Allowed Hosts',
				name: 'allowedHosts',
				type: 'string',
				default: '',
				placeholder: 'files.internal.example, 10.0.0.7',
				description:
					'Host names the download may fetch although they are private, loopback or link-local addresses (e.g. your own file store). Comma-separated; *.example.internal matches its subdomains. Leave empty to fetch public addresses only.',
				displayOptions: { show: { downloadVideo: [true] } },
			},
			// The timeouts cover the API confirmation calls and the download alike.
			optionsCollection(),
		],
	};

	// Colossyan has no API to register callbacks: each job carries its own URL,
	// so there is nothing to create or delete when the workflow is (de)activated.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Called on activation (and for test URLs): refuse a shared secret too short to protect anything.
				assertUsableSecret(this);
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
		const query = this.getQueryData() as Record<string, unknown>;
		const verified = await verify(this, query);
		if (verified === 'weakSecret') {
			return reply(this, 401, `Unauthorized: the trigger's Shared Secret is shorter than ${MIN_SECRET_LENGTH} characters, so no callback is accepted`);
		}
		if (verified !== 'verified') return reply(this, 401, 'Unauthorized');
		if (bodySize(this) > MAX_CALLBACK_BYTES) return reply(this, 413, 'Callback body too large');
		const body = callbackBody(this);
		if (!body) return reply(this, 400, 'Expected a JSON object with a "status" field');

		const json = callbackJson(body);
		const event = json.state === 'done' ? 'finished' : json.state === 'failed' ? 'failed' : undefined;
		const events = this.getNodeParameter('events', ['finished']) as string[];
		if (!event || !events.includes(event)) return { webhookResponse: { received: true, ignored: `status ${String(body.status)}` } };

		const key = deliveryKey(this, query, verificationOf(this) === 'signature');
		if (!claimDelivery(this, key)) return { webhookResponse: { received: true, ignored: 'already received' } };
		try {
			if (event !== 'finished' || !(this.getNodeParameter('downloadVideo', false) as boolean)) {
				return { workflowData: [[{ json }]] };
			}
			// Answer Colossyan now: the download may take minutes and must not hold its request open.
			reply(this, 200, 'Workflow was started');
			const binary = await attachVideo(this, json);
			return { noWebhookResponse: true, workflowData: [[{ json, ...(binary ? { binary } : {}) }]] };
		} finally {
			releaseDelivery(this, key);
		}
	}
}
