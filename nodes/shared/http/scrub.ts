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
 * The key as an upstream may echo it: raw, URL-encoded (once or twice), JSON-escaped,
 * hex, and base64/base64url at each of the three offsets it can have inside a longer
 * encoded text (`Authorization: Bearer <key>` encoded whole, as in a Basic header).
 */
function encodedForms(key: string): string[] {
	const bytes = Buffer.from(key);
	const forms = [key, encodeURIComponent(key), encodeURIComponent(encodeURIComponent(key)), JSON.stringify(key).slice(1, -1)];
	forms.push(bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'));
	for (let offset = 0; offset < 3; offset++) {
		// Only the characters made of the key's bits alone, whatever comes before and after.
		const start = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
		forms.push(shifted.toString('base64').slice(start, end), shifted.toString('base64url').slice(start, end));
	}
	return forms;
}

export class Scrubber {
	private readonly secrets: string[];

	/** `secrets`: the credential's own values (the API key), removed in any encoding we can foresee. */
	constructor(secrets: unknown[] = []) {
		const values = new Set<string>();
		for (const secret of secrets) {
			if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH) continue;
			for (const form of encodedForms(secret.trim())) if (form.length >= MIN_SECRET_LENGTH) values.add(form);
		}
		// Longest first, so a value that contains another is removed whole.
		this.secrets = [...values].sort((a, b) => b.length - a.length);
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
		let result = value;
		for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
		return result;
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
