/**
 * The one timestamp reader (nodes/shared/time.ts) is pure: swept here with
 * seeded random dates. A real moment round-trips; a date that does not exist
 * is unreadable (undefined), never moved to another moment.
 */
import { httpDate, serverTime } from '../../nodes/shared/time';
import { seededRandom } from '../helpers/seeded';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const random = seededRandom(20261204);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
/** Random moments from year 1000 to 9999, to the millisecond. */
const moments = Array.from({ length: 500 }, () => between(Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)));

function isoOf(at: number): { year: string; rest: string } {
	const iso = new Date(at).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ for years 1000–9999
	return { year: iso.slice(0, 4), rest: iso.slice(4, 23) };
}

describe('serverTime: random valid timestamps round-trip', () => {
	test('Z, no offset (read as UTC), and any real offset ±14:00', () => {
		for (const at of moments) {
			const { year, rest } = isoOf(at);
			expect(serverTime(`${year}${rest}Z`)).toBe(at);
			expect(serverTime(`${year}${rest}`)).toBe(at);
			const minutes = between(-14 * 60, 14 * 60);
			const local = new Date(at + minutes * 60_000).toISOString().slice(0, 23);
			const sign = minutes < 0 ? '-' : '+';
			const offset = `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
			if (Number(local.slice(0, 4)) >= 1000 && Number(local.slice(0, 4)) <= 9999) expect(serverTime(`${local}${offset}`)).toBe(at);
		}
	});

	test('years 1000–1099 stay themselves (not moved to 19xx), and 24:00:00 is the end of the day', () => {
		expect(serverTime('1099-05-08T00:00:00Z')).toBe(new Date('1099-05-08T00:00:00Z').getTime());
		expect(serverTime('2024-02-29T24:00:00Z')).toBe(Date.UTC(2024, 2, 1));
		expect(serverTime('2025-05-08T11:58:24.070589')).toBe(Date.UTC(2025, 4, 8, 11, 58, 24, 70));
	});
});

describe('serverTime: random impossible parts are unreadable', () => {
	const daysIn = (year: number, month: number) => daysInMonth(year, month);
	function daysInMonth(year: number, month: number): number {
		const date = new Date(0);
		date.setUTCFullYear(year, month, 0);
		return date.getUTCDate();
	}
	const bad: Array<() => string> = [
		() => { const y = between(1000, 9999); const m = between(1, 12); return `${y}-${pad(m)}-${pad(between(daysIn(y, m) + 1, 99))}T00:00:00Z`; },
		() => `${between(1000, 9999)}-${pad(between(13, 99))}-01T00:00:00Z`,
		() => `${between(1000, 9999)}-00-01T00:00:00Z`,
		() => `${between(1000, 9999)}-01-00T00:00:00Z`,
		() => `2025-05-08T${pad(between(25, 99))}:00:00Z`,
		() => `2025-05-08T24:${pad(between(1, 59))}:00Z`,
		() => `2025-05-08T24:00:${pad(between(1, 59))}Z`,
		() => `2025-05-08T${pad(between(0, 23))}:${pad(between(60, 99))}:00Z`,
		() => `2025-05-08T${pad(between(0, 23))}:00:${pad(between(61, 99))}Z`,
		() => `2025-05-08T11:58:24+${pad(between(15, 99))}:00`,
		() => `2025-05-08T11:58:24-${pad(between(15, 99))}:00`,
		() => `2025-05-08T11:58:24+14:${pad(between(1, 59))}`,
		() => `2025-05-08T11:58:24+${pad(between(0, 13))}:${pad(between(60, 99))}`,
		() => `${pad(between(0, 999), 4)}-05-08T00:00:00Z`,
	];
	test('day past the month, month 0/13+, hour 24:xx, minute/second out of range, offset beyond ±14:00 or minutes ≥ 60, year < 1000', () => {
		for (let round = 0; round < 40; round++) {
			for (const make of bad) {
				const text = make();
				expect([text, serverTime(text)]).toEqual([text, undefined]);
			}
		}
	});
	test.each(['2025-02-31T00:00:00Z', '2023-02-29T00:00:00Z', '2025-05-08T24:30:00Z', '2025-05-08T11:58:24+99:00', '2025-05-08T11:58:24+05:75', '0099-05-08T00:00:00Z', 'x', '', 7])(
		'serverTime(%j) is undefined',
		(text) => expect(serverTime(text)).toBeUndefined(),
	);
});

describe('httpDate: only real HTTP-dates', () => {
	test('random IMF-fixdates (what servers send) round-trip, and the obsolete RFC 850 / asctime forms read the same', () => {
		for (const at of moments) {
			const whole = at - (at % 1000);
			const header = new Date(whole).toUTCString();
			expect([header, httpDate(header)]).toEqual([header, whole]);
			expect(httpDate([header])).toBe(whole);
		}
		expect(httpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
		expect(httpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
		expect(httpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
	});

	test('random impossible parts, a wrong weekday, or any other text are unreadable', () => {
		const bad: Array<() => string> = [
			() => `Tue, ${pad(between(32, 99))} Nov 1994 08:49:37 GMT`,
			() => `Sun, 06 Nov 1994 ${pad(between(24, 99))}:49:37 GMT`,
			() => `Sun, 06 Nov 1994 08:${pad(between(60, 99))}:37 GMT`,
			() => `Sun, 06 Nov 1994 08:49:${pad(between(61, 99))} GMT`,
			() => `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][between(0, 5)]}, 06 Nov 1994 08:49:37 GMT`,
			() => `Sun, 06 Nov 1994 08:49:37 ${['UTC', 'EST', '+0000', ''][between(0, 3)]}`.trim(),
			() => `${between(0, 99)} GMT`,
		];
		for (let round = 0; round < 40; round++) {
			for (const make of bad) {
				const text = make();
				expect([text, httpDate(text)]).toEqual([text, undefined]);
			}
		}
		for (const text of ['0 GMT', '1 GMT', 'x 99 GMT', '2 3 GMT', 'Thu, 31 Feb 2025 00:00:00 GMT', '2025-05-08T11:58:24Z', undefined, 5, []]) {
			expect(httpDate(text)).toBeUndefined();
		}
	});
});
