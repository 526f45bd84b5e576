/** The Avatar and Voice dropdowns of Generate, loaded from the workspace's assets. */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listAssets } from '../helpers/api';

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A list of strings (`languages`, `genders`) or one string (the older `language`, `gender`). */
function texts(list: unknown, single: unknown): string[] {
	const values = Array.isArray(list) ? list : [single];
	return values.map(text).filter((value): value is string => value !== undefined);
}

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

export async function getAvatars(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const avatars = await listAssets(this, 'actors');
	return avatars
		.filter((avatar) => text(avatar.name))
		.map((avatar) => ({
			name: text(avatar.display_name) ?? String(avatar.name),
			value: String(avatar.name),
			description: [text(avatar.gender), text(avatar.default_voice) && `voice: ${String(avatar.default_voice)}`]
				.filter(Boolean)
				.join(', '),
		}))
		.sort(byName);
}

/**
 * Valued by `name` (what Generate sends as `speakerId`), labelled by
 * `displayName`. In the older shape (no displayName, no languages[]) `id` is
 * the value and `name` the label; a real voice's `name` is never replaced by
 * some other `id` it may carry.
 */
function voiceOption(voice: IDataObject): INodePropertyOptions | undefined {
	const connectorShape = text(voice.displayName) !== undefined || Array.isArray(voice.languages);
	const value = connectorShape ? text(voice.name) : (text(voice.id) ?? text(voice.name));
	if (value === undefined) return undefined;
	const label = connectorShape ? (text(voice.displayName) ?? value) : (text(voice.name) ?? value);
	const details = [...texts(voice.languages, voice.language), ...texts(voice.genders, voice.gender)];
	if (voice.isClonedVoice === true) details.push('cloned');
	return { name: label, value, description: details.join(', ') };
}

export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const voices = await listAssets(this, 'voices');
	const options = voices.map(voiceOption).filter((option): option is INodePropertyOptions => option !== undefined);
	return [{ name: "Avatar's Own Voice", value: '', description: 'The default voice of the chosen avatar' }, ...options.sort(byName)];
}
