/** Checks that catch bad input before any request, and above all before a paid one. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIdList } from '../../shared/ids';
import { checkUrlField } from '../../shared/urls';

/** RotateProduct takes http(s) URLs or data URLs for images. */
export function checkImageUrl(
	context: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string {
	return checkUrlField(context.getNode(), value, field, itemIndex, {
		dataImages: true,
		whenEmpty: `Set ${field} to an http(s) URL of the product image, e.g. from a column of your product sheet.`,
		whenInvalid: 'RotateProduct downloads the image from this URL, so it must start with http:// or https:// (or be a data:image URL).',
	});
}

/** Generation ids are positive integers; accepts numbers and numeric strings. */
export function parseGenerationId(context: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
		throw new NodeOperationError(
			context.getNode(),
			`${text === '' ? 'No' : `"${text.slice(0, 40)}" is not a`} generation ID in item ${itemIndex}`,
			{ itemIndex, description: 'Generation IDs are positive whole numbers, as Generate outputs them in "id". Nothing was sent to RotateProduct.' },
		);
	}
	return Number(text);
}

/** Several ids in one value: an array, or a list separated by commas, spaces or new lines. */
export function parseGenerationIds(context: IExecuteFunctions, value: unknown, itemIndex: number): number[] {
	return parseIdList(context.getNode(), value, itemIndex, {
		label: 'generation IDs',
		hint: 'Map the "id" field of the generations, e.g. {{ $json.id }}, or list them separated by commas.',
		parseOne: (part) => parseGenerationId(context, part, itemIndex),
	});
}

/**
 * The External ID as text (a number is turned into text), or undefined when
 * empty. An object or a list would be sent as "[object Object]" and then match
 * another product's generations, so it is an error before any paid call.
 */
export function checkExternalId(context: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	throw new NodeOperationError(context.getNode(), `External ID in item ${itemIndex} is ${kind}, not text`, {
		itemIndex,
		description:
			'External ID must be text or a number, e.g. {{ $json.sku }}. Map a single field of the product, not a whole object or list.',
	});
}
