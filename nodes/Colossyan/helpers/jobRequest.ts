/**
 * Reads one item's Generate fields into the request Colossyan expects, checking
 * everything that can be checked before the paid call. The two endpoints differ:
 * a creative job takes `callback`, a template job `callbackUrl`.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { signCallbackUrl } from './callbackToken';
import type { SizePreset } from './creative';
import { avatarCreative } from './creative';
import type { Avatar } from './types';
import { checkOptionalUrl, parseColossyanId, parseJsonObject, toStringMap } from './validation';

export type GenerateMode = 'avatar' | 'template' | 'advanced';

export interface JobRequest {
	path: '/video-generation-jobs' | '/video-generation-jobs/template-jobs';
	body: IDataObject;
}

/** What the request needs from outside the item: the avatars (for default voices) and the token (for signing). */
export interface RequestInputs {
	avatars: () => Promise<Avatar[]>;
	apiToken: () => Promise<string>;
}

export async function buildJobRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	inputs: RequestInputs,
): Promise<JobRequest> {
	const mode = context.getNodeParameter('generateMode', itemIndex) as GenerateMode;
	const dynamicVariables = readDynamicVariables(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const callbackPayload =
		options.callbackPayload === undefined
			? undefined
			: parseJsonObject(context, options.callbackPayload, 'Callback Payload', itemIndex);
	const callback = await readCallbackUrl(context, itemIndex, options, inputs);
	const extras: IDataObject = {};
	if (callbackPayload) extras.callbackPayload = callbackPayload;

	if (mode === 'template') {
		const templateJobId = parseColossyanId(
			context,
			context.getNodeParameter('templateJobId', itemIndex),
			'template job',
			itemIndex,
		);
		return {
			path: '/video-generation-jobs/template-jobs',
			body: { templateJobId, dynamicVariables, ...(callback ? { callbackUrl: callback } : {}), ...extras },
		};
	}
	const videoCreative =
		mode === 'advanced'
			? parseJsonObject(context, context.getNodeParameter('videoCreative', itemIndex), 'Video Creative', itemIndex)
			: await readAvatarCreative(context, itemIndex, inputs);
	if (mode === 'advanced') checkCreativeShape(context, videoCreative, itemIndex);
	const body: IDataObject = { videoCreative, ...extras };
	if (Object.keys(dynamicVariables).length > 0) body.dynamicVariables = dynamicVariables;
	if (callback) body.callback = callback;
	return { path: '/video-generation-jobs', body };
}

async function readAvatarCreative(
	context: IExecuteFunctions,
	itemIndex: number,
	inputs: RequestInputs,
): Promise<IDataObject> {
	const avatar = requiredText(context, 'avatar', 'Avatar', itemIndex, 'Pick an avatar from the list, or map its name (e.g. "karen").');
	const script = requiredText(context, 'script', 'Script', itemIndex, 'Write what the avatar says, or map it from a field of the item.');
	let voice = String(context.getNodeParameter('voice', itemIndex, '') ?? '').trim();
	if (voice === '') voice = await defaultVoiceOf(context, avatar, itemIndex, inputs);
	const backgroundImageUrl = checkOptionalUrl(
		context,
		context.getNodeParameter('backgroundImageUrl', itemIndex, ''),
		'Background Image URL',
		itemIndex,
	);
	return avatarCreative({
		name: String(context.getNodeParameter('videoName', itemIndex, '') ?? '').trim() || `Avatar video ${itemIndex + 1}`,
		avatar,
		voice,
		script,
		size: context.getNodeParameter('size', itemIndex, 'landscape') as SizePreset,
		backgroundImageUrl,
	});
}

async function defaultVoiceOf(
	context: IExecuteFunctions,
	avatar: string,
	itemIndex: number,
	inputs: RequestInputs,
): Promise<string> {
	const found = (await inputs.avatars()).find((entry) => entry.name === avatar);
	if (typeof found?.default_voice === 'string' && found.default_voice !== '') return found.default_voice;
	throw new NodeOperationError(
		context.getNode(),
		found ? `Avatar "${avatar}" has no default voice` : `There is no avatar "${avatar}" in this workspace`,
		{ itemIndex, description: 'Pick the avatar and the voice from the lists (List Avatars shows the names).' },
	);
}

async function readCallbackUrl(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	inputs: RequestInputs,
): Promise<string | undefined> {
	const url = checkOptionalUrl(context, context.getNodeParameter('callbackUrl', itemIndex, ''), 'Callback URL', itemIndex);
	if (!url || options.signCallback === false) return url;
	return signCallbackUrl(url, await inputs.apiToken());
}

function readDynamicVariables(context: IExecuteFunctions, itemIndex: number): Record<string, string> {
	if (context.getNodeParameter('variablesInput', itemIndex, 'fields') === 'json') {
		const json = parseJsonObject(context, context.getNodeParameter('dynamicVariablesJson', itemIndex, '{}'), 'Dynamic Variables', itemIndex);
		return toStringMap(context, json, 'Dynamic variable', itemIndex);
	}
	const pairs = (context.getNodeParameter('dynamicVariables.variable', itemIndex, []) ?? []) as Array<{ name?: string; value?: unknown }>;
	const map: IDataObject = {};
	for (const pair of pairs) {
		const name = String(pair.name ?? '').trim();
		if (name !== '') map[name] = (pair.value ?? '') as string;
	}
	return toStringMap(context, map, 'Dynamic variable', itemIndex);
}

function requiredText(context: IExecuteFunctions, name: string, label: string, itemIndex: number, fix: string): string {
	const value = context.getNodeParameter(name, itemIndex, '');
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') throw new NodeOperationError(context.getNode(), `${label} is empty in item ${itemIndex}`, { itemIndex, description: fix });
	return text;
}

/** The contract's minimum: a non-empty `scenes` list of objects with `tracks`. */
function checkCreativeShape(context: IExecuteFunctions, creative: IDataObject, itemIndex: number): void {
	const scenes = creative.scenes;
	const ok =
		Array.isArray(scenes) &&
		scenes.length > 0 &&
		scenes.every((scene) => scene !== null && typeof scene === 'object' && Array.isArray((scene as IDataObject).tracks));
	if (!ok) {
		throw new NodeOperationError(context.getNode(), `Video Creative in item ${itemIndex} has no scenes with tracks`, {
			itemIndex,
			description: 'A video creative needs "scenes": [{ "tracks": [ ... ] }] (see Colossyan\'s API docs). Nothing was sent to Colossyan.',
		});
	}
}
