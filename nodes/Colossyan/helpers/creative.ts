/**
 * The "Avatar Video" mode: a one-scene videoCreative (API-CONTRACT.md) built
 * from dropdowns and a script, so the common case needs no JSON.
 */
import type { IDataObject } from 'n8n-workflow';

export const SIZE_PRESETS = {
	landscape: { width: 1920, height: 1080 },
	portrait: { width: 1080, height: 1920 },
	square: { width: 1080, height: 1080 },
} as const;

export type SizePreset = keyof typeof SIZE_PRESETS;

export interface AvatarVideo {
	name: string;
	avatar: string;
	voice: string;
	script: string;
	size: SizePreset;
	backgroundImageUrl?: string;
}

export function avatarCreative(video: AvatarVideo): IDataObject {
	const videoSize = { ...SIZE_PRESETS[video.size] };
	const fullFrame = { position: { x: 0, y: 0 }, size: { ...videoSize } };
	const tracks: IDataObject[] = [];
	if (video.backgroundImageUrl) tracks.push({ type: 'image', imageUrl: video.backgroundImageUrl, ...fullFrame });
	tracks.push({
		type: 'actor',
		actor: video.avatar,
		text: video.script,
		speakerId: video.voice,
		...fullFrame,
		removeBackground: video.backgroundImageUrl !== undefined,
	});
	return {
		settings: { name: video.name, videoSize, alphaChannel: false },
		scenes: [{ name: 'Scene 1', tracks }],
	};
}
