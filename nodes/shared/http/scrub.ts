/**
 * Removes credentials from anything built out of a response. An upstream (the
 * API, a proxy, a CDN) may echo the request back, headers and all, as JSON, as
 * text, nested, or as a header object; none of it may reach an error, an output
 * item or a log. The key is removed wherever it appears, and so is the value of
 * anything that looks like an Authorization header or a bearer token.
 */
export const REDACTED = '[redacted]';

/** `Authorization: …`, `"authorization":"…"`, `Proxy-Authorization=…`, `X-API-Key: …` up to the end of the value. */
const HEADER_IN_TEXT = /((?:proxy-)?authorization|x-api-key|api[-_]?key|access[-_]?token)(["']?\s*[:=]\s*["']?)([^"'\r\n,;}\]]+)/gi;
/** `Bearer …` and `Basic <base64>` credentials wherever they appear in text. */
const SCHEME_IN_TEXT = /\b(Bearer)(\s+)[A-Za-z0-9\-._~+/=%:]+|\b(Basic)(\s+)[A-Za-z0-9+/]{8,}={0,2}/gi;
/** Object keys whose values are credentials, whatever they hold. */
const SECRET_KEY = /^(?:(?:proxy-)?authorization|x-api-key|api[-_]?key|access[-_]?token|cookie|set-cookie)$/i;
/** Shorter keys would turn ordinary words into `[redacted]`; no real key is that short. */
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 24;

/**
 * The key as an upstream may echo it, as one pattern: each character raw or
 * percent-encoded (once or more, hex digits in either case), `+` and space for
 * each other (form encoding), JSON- and HTML-escaped; so `filename*=UTF-8''`,
 * lower-case escapes and half-encoded keys are all caught. Encodings that mix
 * the bits of several characters (hex, base64/base64url at each of the three
 * offsets the key can have inside a longer encoded text) are listed whole.
 */
function keyPattern(key: string): string {
	const bytes = Buffer.from(key);
	const whole = [[...key].map(characterForms).join('')];
	whole.push(anyCaseHex(bytes.toString('hex')), escapeRegExp(bytes.toString('base64')));
	for (let offset = 0; offset < 3; offset++) {
		// Only the characters made of the key's bits alone, whatever comes before and after.
		const start = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
		for (const encoding of ['base64', 'base64url'] as const) {
			const form = shifted.toString(encoding).slice(start, end);
			if (form.length >= MIN_SECRET_LENGTH) whole.push(escapeRegExp(form));
		}
	}
	return whole.join('|');
}

/** One character of the key in every spelling that decodes back to it. */
function characterForms(character: string): string {
	const bytes = [...Buffer.from(character)];
	const forms = [escapeRegExp(character), bytes.map((byte) => `%(?:25)*${anyCaseHex(hex2(byte))}`).join('')];
	const code = character.codePointAt(0) ?? 0;
	if (character === '+' || character === ' ') forms.push('\\+', ' ');
	if (character === '/' || character === '"' || character === '\\') forms.push(`\\\\${escapeRegExp(character)}`);
	if (code <= 0xffff) forms.push(`\\\\u${anyCaseHex(code.toString(16).padStart(4, '0'))}`);
	forms.push(`&#0*${code};`, `&#[xX]0*${anyCaseHex(code.toString(16))};`);
	return `(?:${forms.join('|')})`;
}

function hex2(byte: number): string {
	return byte.toString(16).padStart(2, '0');
}

/** `2b` → `2[bB]`. */
function anyCaseHex(hex: string): string {
	return hex.replace(/[a-f]/gi, (digit) => `[${digit.toLowerCase()}${digit.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class Scrubber {
	/** Every spelling of every secret, or undefined when there is none to look for. */
	private readonly secrets: RegExp | undefined;

	/** `secrets`: the credential's own values (the API key), removed in any encoding we can foresee. */
	constructor(secrets: unknown[] = []) {
		const keys = new Set<string>();
		for (const secret of secrets) {
			if (typeof secret === 'string' && secret.trim().length >= MIN_SECRET_LENGTH) keys.add(secret.trim());
		}
		// Longest first, so a key that contains another is removed whole.
		const patterns = [...keys].sort((a, b) => b.length - a.length).map(keyPattern);
		this.secrets = patterns.length > 0 ? new RegExp(patterns.join('|'), 'g') : undefined;
	}

	/** Text for an error: the key, and anything shaped like a credential. */
	text(value: string): string {
		// Whole header values first, then lone tokens, then the key wherever else it hides.
		const result = value
			.replace(HEADER_IN_TEXT, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`)
			.replace(SCHEME_IN_TEXT, (_match, ...groups: unknown[]) => {
				const [bearer, bearerSpace, basic, basicSpace] = groups as Array<string | undefined>;
				return `${bearer ?? basic ?? ''}${bearerSpace ?? basicSpace ?? ' '}${REDACTED}`;
			});
		return this.withoutKey(result);
	}

	/** Text of a successful answer: only the key itself goes, so a video named "Bearer of news" keeps its name. */
	withoutKey(value: string): string {
		return this.secrets ? value.replace(this.secrets, REDACTED) : value;
	}

	/**
	 * A copy of a parsed body with every string scrubbed: for errors (`error`) the key,
	 * credential-shaped text and credential-named fields; for data (`data`) the key only.
	 */
	value<T>(value: T, mode: 'error' | 'data' = 'error'): T {
		return this.copy(value, mode, 0, new WeakSet<object>()) as T;
	}

	private copy(value: unknown, mode: 'error' | 'data', depth: number, seen: WeakSet<object>): unknown {
		const clean = (text: string) => (mode === 'error' ? this.text(text) : this.withoutKey(text));
		if (typeof value === 'string') return clean(value);
		if (value === null || typeof value !== 'object') return value;
		if (Buffer.isBuffer(value)) return clean(value.toString('utf8'));
		if (seen.has(value) || depth >= MAX_DEPTH) return REDACTED;
		seen.add(value);
		if (Array.isArray(value)) return value.map((entry) => this.copy(entry, mode, depth + 1, seen));
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			const secretField = mode === 'error' && SECRET_KEY.test(key);
			copy[clean(key)] = secretField ? REDACTED : this.copy(entry, mode, depth + 1, seen);
		}
		return copy;
	}
}
