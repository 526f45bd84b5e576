/**
 * The one check for a URL typed into a node field (a product image, a
 * background image, a callback URL): trimmed, http(s) only, or also a
 * data:image URL where the service takes images inline; refused before any
 * request, the message naming the field and the item. URLs that arrive from
 * outside (callback bodies) are checked by urlGuard.ts instead.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isHttpUrl } from './errorText';

export interface UrlFieldRule {
	/** Also accept `data:image/<type>;base64,...`. */
	dataImages?: boolean;
	/** The description when the field is empty; without it an empty field is simply not set (undefined). */
	whenEmpty?: string;
	/** The description when the text is not such a URL: what the URL is for, how to fix it. */
	whenInvalid: string;
}

const DATA_IMAGE_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;

export function checkUrlField(node: INode, value: unknown, field: string, itemIndex: number, rule: UrlFieldRule & { whenEmpty: string }): string;
export function checkUrlField(node: INode, value: unknown, field: string, itemIndex: number, rule: UrlFieldRule): string | undefined;
export function checkUrlField(node: INode, value: unknown, field: string, itemIndex: number, rule: UrlFieldRule): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		if (rule.whenEmpty === undefined) return undefined;
		throw new NodeOperationError(node, `${field} is empty in item ${itemIndex}`, { itemIndex, description: rule.whenEmpty });
	}
	if (isHttpUrl(text) || (rule.dataImages === true && DATA_IMAGE_URL.test(text))) return text;
	const kinds = rule.dataImages === true ? 'an http(s) or data URL' : 'an http(s) URL';
	throw new NodeOperationError(node, `${field} in item ${itemIndex} is not ${kinds}: "${text.slice(0, 80)}"`, {
		itemIndex,
		description: rule.whenInvalid,
	});
}
