/**
 * Create Instant Avatar: `POST /assets/actors` with a display name, a video
 * file's URL and a gender; Colossyan answers 201 `{ name }`, usable at once as
 * the avatar of Generate. Every field is checked before the request, and the
 * request is never sent twice when its answer was lost (no duplicate avatars).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { eachCheckedItem } from '../../../shared/items';
import { createInstantAvatar } from '../../helpers/api';
import type { InstantAvatarRequest } from '../../helpers/validation';
import { readInstantAvatar } from '../../helpers/validation';
import { optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Ada (sales intro)',
		description: 'The name the avatar has in Colossyan',
	},
	{
		displayName: 'Source Video URL',
		name: 'sourceFileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/recordings/ada.mp4',
		description: 'A public http(s) URL of the video file the avatar is made from (a person speaking to the camera)',
	},
	{
		displayName: 'Gender',
		name: 'gender',
		type: 'options',
		options: [
			{ name: 'Female', value: 'Female' },
			{ name: 'Male', value: 'Male' },
		],
		default: 'Female',
		description: 'The gender of the person in the video',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['asset'], operation: ['createInstantAvatar'] } }, properties);

export const effect = 'paid';

/** Every item's fields are checked before the first avatar is created (shared/items.ts). */
export const checksFirst = eachCheckedItem(readInstantAvatar, async (context, avatar: InstantAvatarRequest, itemIndex) => {
	const { name } = await createInstantAvatar(context, avatar, itemIndex);
	const json: IDataObject = { name, ...avatar };
	return { json };
});
