/** The fields of Generate: the three ways to describe a video, then what all three share. */
import type { INodeProperties } from 'n8n-workflow';

const avatarMode = { show: { generateMode: ['avatar'] } };

const EXAMPLE_CREATIVE = JSON.stringify(
	{
		settings: { name: 'My video', videoSize: { width: 1920, height: 1080 } },
		scenes: [{ name: 'Intro', tracks: [{ type: 'actor', actor: 'karen', text: 'Hello!', position: { x: 0, y: 0 }, size: { width: 1920, height: 1080 } }] }],
	},
	null,
	2,
);

const modeFields: INodeProperties[] = [
	{
		displayName: 'Create From',
		name: 'generateMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Avatar and Script', value: 'avatar', description: 'An avatar reads your script: pick the avatar, voice and size' },
			{ name: 'Template', value: 'template', description: 'A template made in Colossyan, filled with dynamic variables' },
			{ name: 'Video Creative JSON (Advanced)', value: 'advanced', description: 'The full videoCreative of Colossyan\'s API, for several scenes and tracks' },
		],
		default: 'avatar',
	},
	{
		displayName: 'Avatar Name or ID',
		name: 'avatar',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAvatars' },
		required: true,
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Voice Name or ID',
		name: 'voice',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getVoices' },
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'Avatar\'s Own Voice (the default) is the voice that comes with the chosen avatar',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Script',
		name: 'script',
		type: 'string',
		typeOptions: { rows: 5 },
		required: true,
		default: '',
		placeholder: 'Hi {{ $json.firstName }}, welcome to the team!',
		description: 'What the avatar says',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		options: [
			{ name: 'Landscape 16:9 (1920×1080)', value: 'landscape' },
			{ name: 'Portrait 9:16 (1080×1920)', value: 'portrait' },
			{ name: 'Square 1:1 (1080×1080)', value: 'square' },
		],
		default: 'landscape',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Video Name',
		name: 'videoName',
		type: 'string',
		default: '',
		description: 'Shown in Colossyan and used as the file name when downloaded. Empty: "Avatar video N".',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Background Image URL',
		name: 'backgroundImageUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/office.jpg',
		description: 'Optional image behind the avatar (the avatar\'s own background is removed)',
		displayOptions: avatarMode,
	},
	{
		displayName: 'Template Job ID',
		name: 'templateJobId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the template job in Colossyan',
		displayOptions: { show: { generateMode: ['template'] } },
	},
	{
		displayName: 'Video Creative (JSON)',
		name: 'videoCreative',
		type: 'json',
		required: true,
		default: EXAMPLE_CREATIVE,
		description: 'The videoCreative object: settings and scenes with tracks (actor, video, image, audio, text)',
		displayOptions: { show: { generateMode: ['advanced'] } },
	},
];

const sharedFields: INodeProperties[] = [
	{
		displayName: 'Dynamic Variables',
		name: 'variablesInput',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
		description: 'Text that fills the {{placeholders}} of a template or script; also sent back in the callback',
	},
	{
		displayName: 'Variables',
		name: 'dynamicVariables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		options: [
			{
				name: 'variable',
				displayName: 'Variable',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'firstName' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '={{ $json.firstName }}' },
				],
			},
		],
		displayOptions: { show: { variablesInput: ['fields'] } },
	},
	{
		displayName: 'Variables (JSON)',
		name: 'dynamicVariablesJson',
		type: 'json',
		default: '{}',
		description: 'A flat object of text values, e.g. { "firstName": "Ada" }',
		displayOptions: { show: { variablesInput: ['json'] } },
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/webhook',
		description: 'Colossyan POSTs here when the video is finished or failed',
		hint: 'Paste the Production URL of a Colossyan Trigger node. A verification signature is added to it, so the trigger accepts this job\'s callback and rejects forged ones.',
		// Waiting for the callback makes the execution's own resume URL the callback.
		displayOptions: { hide: { waitMethod: ['callback'] } },
	},
];

export const generateFields: INodeProperties[] = [...modeFields, ...sharedFields];

/** Generate's Options entries: the node puts them in its Options collection, last. */
export const generateOptions: INodeProperties[] = [
	{
		displayName: 'Callback Payload (JSON)',
		name: 'callbackPayload',
		type: 'json',
		default: '{}',
		description: 'Any data to get back in the callback, e.g. the ID of the form entry. Do not put secrets here.',
	},
	{
		displayName: 'Sign Callback URL',
		name: 'signCallback',
		type: 'boolean',
		default: true,
		description: 'Whether to add a signature to the Callback URL that the Colossyan Trigger checks (with the same credential). Turn off only for receivers other than the trigger.',
	},
];
