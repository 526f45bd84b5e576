/** Checks that catch bad input before any request, and above all before a paid one. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isHttpUrl } from '../../shared/errorText';

/** RotateProduct takes http(s) URLs or data URLs for images. */
export function checkImageUrl(
	context: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `${field} is empty in item ${itemIndex}`, {
			itemIndex,
			description: `Set ${field} to an http(s) URL of the product image, e.g. from a column of your product sheet.`,
		});
	}
	if (/^data:image\/[a-z0-9.+-]+;base64,/i.test(text)) return text;
	if (!isHttpUrl(text)) {
		throw new NodeOperationError(
			context.getNode(),
			`${field} in item ${itemIndex} is not an http(s) or data URL: "${text.slice(0, 80)}"`,
			{ itemIndex, description: 'RotateProduct downloads the image from this URL, so it must start with http:// or https:// (or be a data:image URL).' },
		);
	}
	return text;
}

/** Generation ids are positive integers; accepts numbers and numeric strings. */
export function parseGenerationId(context: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
		throw new NodeOperationError(
			context.getNode(),
			`"${text === '' ? '(empty)' : text.slice(0, 40)}" in item ${itemIndex} is not a generation id`,
			{ itemIndex, description: 'Generation ids are positive whole numbers, as returned by Generate in the "id" field.' },
		);
	}
	return Number(text);
}

/** Several ids in one value: an array, or a list separated by commas, spaces or new lines. */
export function parseGenerationIds(context: IExecuteFunctions, value: unknown, itemIndex: number): number[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'number'
			? [value]
			: String(value ?? '')
					.split(/[\s,;]+/)
					.filter((part) => part !== '');
	if (parts.length === 0) {
		throw new NodeOperationError(context.getNode(), `No generation ids in item ${itemIndex}`, {
			itemIndex,
			description: 'Map the "id" field of the generations, e.g. {{ $json.id }}, or list ids separated by commas.',
		});
	}
	return parts.map((part) => parseGenerationId(context, part, itemIndex));
}
