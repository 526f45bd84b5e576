/** The one scrubber every transport error passes through, on the shapes upstreams echo in. */
import { Readable } from 'node:stream';

import { REDACTED, Scrubber } from '../../nodes/shared/http/scrub';
import { StalledBodyError, withStallTimeout } from '../../nodes/shared/http/timeouts';

const KEY = 'rp_live_9f8e7d6c5b4a';
const scrubber = new Scrubber([KEY]);

test.each([
	['a header line', `Authorization: Bearer ${KEY}`],
	['a lower-case JSON header', JSON.stringify({ authorization: `Bearer ${KEY}` })],
	['headers echoed as an object', { request: { headers: { Authorization: `Bearer ${KEY}`, 'X-Api-Key': KEY } } }],
	['the key deep in arrays', { a: [{ b: [[`token=${KEY}`]] }] }],
	['the key URL-encoded in an echoed URL', `GET /x?key=${encodeURIComponent(KEY)}`],
	['the key base64-encoded', `saw ${Buffer.from(KEY).toString('base64')}`],
	['the key as an object key', { [KEY]: true }],
	['another bearer token', 'Proxy said: bearer abc.def-ghi'],
	['a Basic credential', 'Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA=='],
])('%s is scrubbed', (_name, value) => {
	const text = JSON.stringify(typeof value === 'string' ? scrubber.text(value) : scrubber.value(value));
	expect(text).not.toContain(KEY);
	expect(text).not.toContain('abc.def-ghi');
	expect(text).not.toContain('dXNlcjpwYXNzd29yZA');
	expect(text).toContain(REDACTED);
});

test('ordinary sentences survive', () => {
	const said = 'Invalid api key. Basic plan required. The Bearer of good news.';
	expect(scrubber.value({ message: said }, 'data')).toEqual({ message: said });
	expect(scrubber.text('Basic plan required')).toBe('Basic plan required');
});

test('a body that sends nothing for the stall timeout fails with StalledBodyError; a flowing one passes', async () => {
	const silent = new Readable({ read() {} });
	silent.push(Buffer.from('first bytes'));
	const guarded = withStallTimeout(silent, 150);
	const chunks: Buffer[] = [];
	await expect(
		(async () => {
			for await (const chunk of guarded) chunks.push(chunk as Buffer);
		})(),
	).rejects.toBeInstanceOf(StalledBodyError);
	expect(Buffer.concat(chunks).toString()).toBe('first bytes');
	expect(silent.destroyed).toBe(true);

	const flowing = withStallTimeout(Readable.from([Buffer.from('a'), Buffer.from('b')]), 150);
	const text: string[] = [];
	for await (const chunk of flowing) text.push(String(chunk));
	expect(text.join('')).toBe('ab');
});
