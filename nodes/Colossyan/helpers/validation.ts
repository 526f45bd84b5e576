/** Checks that catch bad input before any request, and above all before a paid one. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIdList, plainIdProblem, shownId } from '../../shared/ids';
import { checkUrlField } from '../../shared/urls';
import type { AvatarGender } from './types';
import { AVATAR_GENDERS } from './types';

/** Colossyan ids are opaque strings: anything that passes the shared plain-id check (safe in a URL path and a file name). */
export function parseColossyanId(
	context: IExecuteFunctions,
	value: unknown,
	what: 'job' | 'video' | 'template job',
	itemIndex: number,
): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	const problem = plainIdProblem(text);
	if (problem) {
		throw new NodeOperationError(
			context.getNode(),
			`${text === '' ? 'No' : `${shownId(text)} is not a`} ${what} ID in item ${itemIndex}`,
			{
				itemIndex,
				description: `${text === '' ? '' : `Not an ID: ${problem}. `}Map the ${what} ID, e.g. {{ $json.${what === 'video' ? 'videoId' : 'jobId'} }} from Generate. Nothing was sent to Colossyan.`,
			},
		);
	}
	return text;
}

/** Several ids in one value: an array, or a list separated by commas, spaces or new lines. */
export function parseColossyanIds(
	context: IExecuteFunctions,
	value: unknown,
	what: 'job' | 'video',
	itemIndex: number,
): string[] {
	return parseIdList(context.getNode(), value, itemIndex, {
		label: `${what} IDs`,
		hint: `Map the ${what} IDs, e.g. {{ $json.${what}Id }}, or list them separated by commas.`,
		parseOne: (part) => parseColossyanId(context, part, what, itemIndex),
	});
}

/** An optional http(s) URL field: empty means not set. */
export function checkOptionalUrl(
	context: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string | undefined {
	return checkUrlField(context.getNode(), value, field, itemIndex, {
		whenInvalid: `Set ${field} to a full URL starting with http:// or https://, or leave it empty.`,
	});
}

/** A JSON object field (the UI gives a string, an expression may give an object). */
export function parseJsonObject(
	context: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') parsed = {};
		else {
			try {
				parsed = JSON.parse(value);
			} catch (error) {
				throw new NodeOperationError(context.getNode(), `${field} in item ${itemIndex} is not valid JSON`, {
					itemIndex,
					description: `${(error as Error).message}. Nothing was sent to Colossyan.`,
				});
			}
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(context.getNode(), `${field} in item ${itemIndex} must be a JSON object`, {
			itemIndex,
			description: 'Write it as { "key": "value" }. Nothing was sent to Colossyan.',
		});
	}
	return parsed as IDataObject;
}

/** Dynamic variables are a flat map of strings; numbers and booleans are turned into text. */
export function toStringMap(
	context: IExecuteFunctions,
	value: IDataObject,
	field: string,
	itemIndex: number,
): Record<string, string> {
	const map: Record<string, string> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry === 'string') map[key] = entry;
		else if (typeof entry === 'number' || typeof entry === 'boolean') map[key] = String(entry);
		else {
			throw new NodeOperationError(context.getNode(), `${field} "${key}" in item ${itemIndex} is not text`, {
				itemIndex,
				description: 'Colossyan dynamic variables are text values; map a single field, not an object or list.',
			});
		}
	}
	return map;
}

/** `POST /assets/actors`'s body, as the item's fields give it. */
export interface InstantAvatarRequest extends IDataObject {
	displayName: string;
	sourceFileUrl: string;
	gender: AvatarGender;
}

/** Create Instant Avatar's fields, checked before the request. */
export function readInstantAvatar(context: IExecuteFunctions, itemIndex: number): InstantAvatarRequest {
	const node = context.getNode();
	const nameValue = context.getNodeParameter('displayName', itemIndex, '');
	const displayName = typeof nameValue === 'string' || typeof nameValue === 'number' ? String(nameValue).trim() : '';
	if (displayName === '') {
		throw new NodeOperationError(node, `Display Name is empty in item ${itemIndex}`, {
			itemIndex,
			description: 'Give the avatar the name it should have in Colossyan. Nothing was sent to Colossyan.',
		});
	}
	const sourceFileUrl = checkUrlField(node, context.getNodeParameter('sourceFileUrl', itemIndex, ''), 'Source Video URL', itemIndex, {
		whenEmpty: 'Set Source Video URL to the public http(s) URL of the video the avatar is made from. Nothing was sent to Colossyan.',
		whenInvalid: 'Set Source Video URL to a full public URL starting with http:// or https://. Nothing was sent to Colossyan.',
	});
	return { displayName, sourceFileUrl, gender: avatarGender(context, context.getNodeParameter('gender', itemIndex, ''), itemIndex) };
}

/** "Male" or "Female" as Colossyan spells them; an expression may give any case. */
function avatarGender(context: IExecuteFunctions, value: unknown, itemIndex: number): AvatarGender {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	const gender = AVATAR_GENDERS.find((known) => known.toLowerCase() === text);
	if (gender) return gender;
	throw new NodeOperationError(context.getNode(), `Gender in item ${itemIndex} is not Male or Female: ${JSON.stringify(value)?.slice(0, 40) ?? 'nothing'}`, {
		itemIndex,
		description: 'Colossyan takes "Male" or "Female" for an Instant Avatar. Nothing was sent to Colossyan.',
	});
}
