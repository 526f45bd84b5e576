/**
 * Whether a text gives a secret away in any encoding an upstream might echo it in:
 * as is, URL-encoded (up to three times, escapes in either case, `+` for a space),
 * JSON- or HTML-escaped, base64/base64url at any offset inside a longer encoded
 * run, or hex. Used to check scrubbed errors, names and items, so a key that is
 * merely re-encoded counts as leaked.
 */
export function revealsSecret(text: string, secret: string): boolean {
	const decoded = [text, text.replace(/\+/g, ' '), text.replace(/ /g, '+')];
	for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
		for (let skip = 0; skip < 4; skip++) decoded.push(Buffer.from(run.slice(skip), 'base64').toString('latin1'));
		if (/^[0-9a-fA-F]+$/.test(run)) decoded.push(Buffer.from(run, 'hex').toString('latin1'));
	}
	// Percent-decoded up to three times, reading `+` as `+` or (form encoding) as a space first.
	for (const start of [text, text.replace(/\+/g, ' ')]) {
		let unescaped = start;
		for (let round = 0; round < 3; round++) {
			unescaped = unescaped.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
			decoded.push(unescaped);
		}
	}
	const jsonUnescaped = text.replace(/\\u([0-9A-Fa-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
	const htmlUnescaped = text.replace(/&#(?:[xX]([0-9A-Fa-f]+)|(\d+));/g, (_m, hex?: string, dec?: string) => String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec)));
	decoded.push(jsonUnescaped, htmlUnescaped);
	return decoded.some((candidate) => candidate.includes(secret));
}

/** A key as a file name cleaner would leave it (every character but letters and digits turned into `_`): found there, it leaked. */
export function revealsSecretInName(name: string, secret: string): boolean {
	const fold = (text: string) => text.replace(/[^A-Za-z0-9]/g, '_');
	return revealsSecret(name, secret) || fold(name).includes(fold(secret));
}
