/**
 * One scrubber for every text that leaves, swept: random keys made of URL-special
 * characters (`+ / = % & ? # : ; @` and more) × every spelling an upstream may echo
 * them in (raw, URL-encoded with upper- or lower-case escapes, form-encoded, twice
 * encoded, half encoded, JSON- and HTML-escaped, base64, base64url, hex, inside a
 * `Bearer` header) × every place a text leaves (an error's message, description and
 * body, a JSON item, a video file name made from an API answer's name):
 * the key is in none. Seeded: set SCRUB_SWEEP_SEED to replay a run.
 */
import type { INode, JsonObject } from 'n8n-workflow';

import { videoFileName } from '../../nodes/shared/fileNames';
import { apiError } from '../../nodes/shared/http/errors';
import { Scrubber } from '../../nodes/shared/http/scrub';
import { revealsSecret, revealsSecretInName } from '../helpers/secretForms';
import { seededRandom, sweepSeed } from '../helpers/seeded';

const SEED = sweepSeed('SCRUB_SWEEP_SEED', 'scrubForms');

const random = seededRandom(SEED);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];

const PLAIN = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const SPECIAL = [..."+/=%&?#:;@~!$'()*,[]_-. "];

/** A key of 12-32 characters with at least three URL-special ones, never starting or ending with a space. */
function randomKey(): string {
	const length = 12 + Math.floor(random() * 21);
	const characters = Array.from({ length }, () => (random() < 0.4 ? pick(SPECIAL) : pick(PLAIN)));
	for (let i = 0; i < 3; i++) characters[1 + Math.floor(random() * (length - 2))] = pick([...'+/=%&?#']);
	characters[0] = pick(PLAIN);
	characters[length - 1] = pick(PLAIN);
	return characters.join('');
}

const lowerEscapes = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const FORMS: Array<[string, (key: string) => string]> = [
	['raw', (key) => key],
	['URL-encoded', (key) => encodeURIComponent(key)],
	['URL-encoded, lower-case escapes', (key) => lowerEscapes(encodeURIComponent(key))],
	['form-encoded (+ for space)', (key) => new URLSearchParams({ k: key }).toString().slice(2)],
	['form-encoded, lower-case escapes', (key) => lowerEscapes(new URLSearchParams({ k: key }).toString().slice(2))],
	['URL-encoded twice', (key) => encodeURIComponent(encodeURIComponent(key))],
	['URL-encoded twice, lower-case', (key) => lowerEscapes(encodeURIComponent(encodeURIComponent(key)))],
	['only its special characters encoded', (key) => key.replace(/[^A-Za-z0-9]/g, (c) => lowerEscapes(encodeURIComponent(c)).replace(/^[^%].*$/, `%${c.charCodeAt(0).toString(16)}`))],
	['JSON-escaped, slashes too', (key) => JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')],
	['JSON \\u escapes', (key) => [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
	['HTML entities for its special characters', (key) => key.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`)],
	['base64', (key) => Buffer.from(key).toString('base64')],
	['base64url after one byte', (key) => Buffer.from(`x${key}`).toString('base64url')],
	['a Bearer header, base64', (key) => Buffer.from(`Authorization: Bearer ${key}`).toString('base64')],
	['hex, upper case', (key) => Buffer.from(key).toString('hex').toUpperCase()],
];

const NODE: INode = { id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
const context = { getNode: () => NODE };

/** Every place a text leaves, each given the echoed text and returning what leaves. */
const PLACES: Array<[string, (scrubber: Scrubber, echoed: string) => string]> = [
	['an error message', (scrubber, echoed) => apiError(context, {}, { message: `Refused ${echoed}`, description: 'x' }, scrubber).message],
	['an error description', (scrubber, echoed) => String(apiError(context, {}, { message: 'x', description: `saw ${echoed}` }, scrubber).description)],
	['an error body', (scrubber, echoed) => JSON.stringify(apiError(context, { message: echoed, nested: { deep: [echoed] } } as JsonObject, { message: 'x', description: 'y' }, scrubber))],
	['a JSON item', (scrubber, echoed) => JSON.stringify(scrubber.value({ name: `video ${echoed}`, [echoed]: echoed }, 'data'))],
	['a video file name from an API answer', (scrubber, echoed) => videoFileName(String((scrubber.value({ name: `clip ${echoed}` }, 'data') as { name: unknown }).name), 1, 'video')],
];

const KEYS = Array.from({ length: 40 }, randomKey);

test.each(PLACES)('%s: the key in none of its spellings', (_place, leave) => {
	let checked = 0;
	for (const key of KEYS) {
		const scrubber = new Scrubber([key]);
		for (const [form, spell] of FORMS) {
			const echoed = spell(key);
			const left = leave(scrubber, `${echoed}`);
			const leaked = revealsSecretInName(left, key) || revealsSecret(left, key);
			expect({ key, form, left, leaked }).toEqual({ key, form, left, leaked: false });
			checked++;
		}
	}
	expect(checked).toBe(KEYS.length * FORMS.length);
});

test('the checks are not vacuous: every spelling reveals the key to the checker before scrubbing', () => {
	for (const key of KEYS) {
		for (const [form, spell] of FORMS) {
			expect({ key, form, revealed: revealsSecret(spell(key), key) }).toEqual({ key, form, revealed: true });
		}
	}
});

test('names and texts without the key keep their words', () => {
	const scrubber = new Scrubber([KEYS[0]]);
	expect(videoFileName(String((scrubber.value({ name: 'mug video' }, 'data') as { name: unknown }).name), 1, 'video')).toBe('mug_video.mp4');
	expect(scrubber.withoutKey('The Bearer of good news, 100% + more')).toBe('The Bearer of good news, 100% + more');
});
