/**
 * Whether a text gives a secret away in any encoding an upstream might echo it in:
 * as is, URL-encoded (up to three times), base64/base64url at any offset inside a
 * longer encoded run, or hex. Used to check scrubbed errors and items, so a key
 * that is merely re-encoded counts as leaked.
 */
export function revealsSecret(text: string, secret: string): boolean {
	const decoded = [text];
	for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
		for (let skip = 0; skip < 4; skip++) decoded.push(Buffer.from(run.slice(skip), 'base64').toString('latin1'));
		if (/^[0-9a-fA-F]+$/.test(run)) decoded.push(Buffer.from(run, 'hex').toString('latin1'));
	}
	let unescaped = text;
	for (let round = 0; round < 3; round++) {
		unescaped = unescaped.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
	decoded.push(unescaped);
	return decoded.some((candidate) => candidate.includes(secret));
}
