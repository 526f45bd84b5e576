/**
 * The one reader of the services' timestamps. RotateProduct's status page shows
 * `2025-05-08T11:58:24.070589` (microseconds, no offset) where the list shows
 * `…Z`; `Date.parse` would read the first as the host's local time, so a
 * timestamp without an offset is read here as UTC, on every host.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A service timestamp in ms since the epoch, or undefined when missing or unreadable. */
export function serverTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const match = ISO.exec(text.trim());
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
	const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
	const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms);
	if (Number.isNaN(utc) || !validParts(Number(month), Number(day), Number(hour), Number(minute), Number(second))) return undefined;
	return utc - offsetMs(offset);
}

/** A service timestamp as ISO 8601 in UTC (`…Z`), or null when missing or unreadable. */
export function isoServerTime(text: unknown): string | null {
	const at = serverTime(text);
	return at === undefined ? null : new Date(at).toISOString();
}

/** An HTTP `Date` header (always GMT) in ms, or undefined. */
export function httpDate(value: unknown): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' || !/GMT$/i.test(text.trim())) return undefined;
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : at;
}

function offsetMs(offset: string | undefined): number {
	if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
	const digits = offset.replace(':', '');
	const sign = digits.startsWith('-') ? -1 : 1;
	const hours = Number(digits.slice(1, 3));
	const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
	return sign * (hours * 60 + minutes) * 60_000;
}

function validParts(month: number, day: number, hour: number, minute: number, second: number): boolean {
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 24 && minute <= 59 && second <= 60;
}
