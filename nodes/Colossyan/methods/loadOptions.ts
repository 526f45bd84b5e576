/** The Avatar and Voice dropdowns of Generate, loaded from the workspace's assets. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listAssets } from '../helpers/api';

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
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
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const voices = await listAssets(this, 'voices');
	const options = voices
		.map((voice) => ({ id: text(voice.id) ?? text(voice.name), voice }))
		.filter((entry): entry is { id: string; voice: (typeof voices)[number] } => entry.id !== undefined)
		.map(({ id, voice }) => ({
			name: text(voice.name) ?? id,
			value: id,
			description: [text(voice.language), text(voice.gender)].filter(Boolean).join(', '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
	return [{ name: "Avatar's Own Voice", value: '', description: 'The default voice of the chosen avatar' }, ...options];
}
