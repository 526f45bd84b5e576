/**
 * The one check for an id that goes into a request path or a file name, in
 * both nodes and the trigger. `encodeURIComponent` leaves `.` and `..` as they
 * are, and URLs normalise them into another endpoint (with the token), so an
 * id must be a plain token: no dot segments, separators, controls, spaces,
 * `?`, `#` or `%` (a server may decode `%2e%2e` back into `..`), and nothing but
 * printable ASCII (no look-alike slashes, no invisible characters).
 * Also the one reader of an id list (parseIdList), for every field that takes several ids.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const MAX_ID_LENGTH = 200;

// eslint-disable-next-line no-control-regex
const NOT_IN_AN_ID = /[\s/\\?#%\u0000-\u001f\u007f-\u009f]/;

/** Why this text is not a plain id, or undefined when it is one. */
export function plainIdProblem(text: string): string | undefined {
	if (text === '') return 'it is empty';
	if (text.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
	if (/^\.+$/.test(text)) return 'it is only dots';
	if (NOT_IN_AN_ID.test(text)) return 'it contains a space, slash, backslash, ?, #, % or a control character';
	// Both APIs' ids are ASCII; anything else is a look-alike (U+2215 ∕, U+FF0F ／) or a hidden character.
	if (/[^\x21-\x7e]/.test(text)) return 'it contains a character outside plain ASCII';
	return undefined;
}

export function isPlainId(value: unknown): value is string {
	return typeof value === 'string' && plainIdProblem(value) === undefined;
}

/** An id as text for messages: short, and with control characters made visible. */
export function shownId(text: string): string {
	return JSON.stringify(text.slice(0, 60)).replace(/\\u00[0-9a-f]{2}/g, '?');
}

/** What a service says about its ids; the list is read the same way for both. */
export interface IdListRule<Id> {
	/** `generation ids`, `job IDs`: the message for a field with none is `No <label> in item <n>`. */
	label: string;
	/** How to fill the field, for that message's description. */
	hint: string;
	/** Checks one id (numeric or a plain token) and throws the service's own message. */
	parseOne: (part: unknown) => Id;
}

/** The parts of a field that holds several ids: an array, or a list separated by commas, semicolons, spaces or new lines. */
export function idParts(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	return String(value ?? '')
		.split(/[\s,;]+/)
		.filter((part) => part !== '');
}

/** Every id in one item's field, in order; none at all is an error naming the item. */
export function parseIdList<Id>(node: INode, value: unknown, itemIndex: number, rule: IdListRule<Id>): Id[] {
	const parts = idParts(value);
	if (parts.length === 0) {
		throw new NodeOperationError(node, `No ${rule.label} in item ${itemIndex}`, { itemIndex, description: rule.hint });
	}
	return parts.map((part) => rule.parseOne(part));
}
