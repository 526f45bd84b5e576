/**
 * The one reader of the services' timestamps. RotateProduct's status page shows
 * `2025-05-08T11:58:24.070589` (microseconds, no offset) where the list shows
 * `…Z`; `Date.parse` would read the first as the host's local time, so a
 * timestamp without an offset is read here as UTC, on every host.
 * Every reading is strict: a date that does not exist (Feb 31, 24:30, an offset
 * of +99:00, a year before 1000) is unreadable, never moved to another moment,
 * and `Date.parse`'s guesses ("0 GMT") are never used.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** No service timestamp is older; two-digit-looking years (0099) are refused, not moved to 1999. */
const FIRST_YEAR = 1000;
/** Real UTC offsets span −12:00 … +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

interface Parts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	ms?: number;
}

/** A service timestamp in ms since the epoch, or undefined when missing or unreadable. */
export function serverTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const match = ISO.exec(text.trim());
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
	const utc = utcOf({
		year: Number(year),
		month: Number(month),
		day: Number(day),
		hour: Number(hour),
		minute: Number(minute),
		second: Number(second),
		ms: Number(fraction.padEnd(3, '0').slice(0, 3)),
	});
	const shift = offsetMs(offset);
	return utc === undefined || shift === undefined ? undefined : utc - shift;
}

/** A service timestamp as ISO 8601 in UTC (`…Z`), or null when missing or unreadable. */
export function isoServerTime(text: unknown): string | null {
	const at = serverTime(text);
	return at === undefined ? null : new Date(at).toISOString();
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTH = `(${MONTHS.join('|')})`;
/** RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^(${DAYS.join('|')}), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 = new RegExp(`^(${LONG_DAYS.join('|')}), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Obsolete asctime: `Sun Nov  6 08:49:37 1994`. */
const ASCTIME = new RegExp(`^(${DAYS.join('|')}) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** An HTTP `Date` header (RFC 9110 HTTP-date, always GMT) in ms, or undefined for anything else. */
export function httpDate(value: unknown): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string') return undefined;
	const trimmed = text.trim();
	let match = IMF_FIXDATE.exec(trimmed);
	if (match) return dated(DAYS.indexOf(match[1]), parts(match[4], match[3], match[2], match.slice(5, 8)));
	match = RFC_850.exec(trimmed);
	if (match) return dated(LONG_DAYS.indexOf(match[1]), parts(fullYear(Number(match[4])), match[3], match[2], match.slice(5, 8)));
	match = ASCTIME.exec(trimmed);
	if (match) return dated(DAYS.indexOf(match[1]), parts(match[7], match[2], match[3].trim(), match.slice(4, 7)));
	return undefined;
}

function parts(year: string | number, month: string, day: string, time: string[]): Parts {
	const [hour, minute, second] = time.map(Number);
	return { year: Number(year), month: MONTHS.indexOf(month) + 1, day: Number(day), hour, minute, second };
}

/** The moment, when the date exists and its weekday is the one written (a wrong weekday: not a real header). */
function dated(weekday: number, date: Parts): number | undefined {
	if (date.hour === 24) return undefined;
	const at = utcOf(date);
	return at !== undefined && new Date(at).getUTCDay() === weekday ? at : undefined;
}

/** RFC 9110: a two-digit year more than 50 years in the future is in the past century. */
function fullYear(twoDigits: number): number {
	const now = new Date().getUTCFullYear();
	const year = Math.floor(now / 100) * 100 + twoDigits;
	return year > now + 50 ? year - 100 : year;
}

/**
 * The UTC moment of a calendar date and time, or undefined when it does not
 * exist. `24:00:00` is the end of the day; a leap second `:60` is the next second.
 */
function utcOf({ year, month, day, hour, minute, second, ms = 0 }: Parts): number | undefined {
	if (year < FIRST_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
	if (hour > 24 || minute > 59 || second > 60) return undefined;
	if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return undefined;
	const date = new Date(0);
	// setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute, second, ms);
	const at = date.getTime();
	return Number.isNaN(at) ? undefined : at;
}

function daysIn(year: number, month: number): number {
	const date = new Date(0);
	date.setUTCFullYear(year, month, 0);
	return date.getUTCDate();
}

/** The offset in ms, or undefined when it is not a real one (beyond ±14:00, minutes ≥ 60). */
function offsetMs(offset: string | undefined): number | undefined {
	if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
	const digits = offset.replace(':', '');
	const sign = digits.startsWith('-') ? -1 : 1;
	const hours = Number(digits.slice(1, 3));
	const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
	const total = hours * 60 + minutes;
	if (minutes >= 60 || total > MAX_OFFSET_MINUTES) return undefined;
	return sign * total * 60_000;
}
