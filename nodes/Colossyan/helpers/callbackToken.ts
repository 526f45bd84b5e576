/**
 * How the Colossyan Trigger knows a callback comes from a job this package
 * created. Colossyan does not sign callbacks, so the Colossyan node adds a
 * random nonce and its HMAC to the callback URL's query; the key is derived
 * from the API token, which the node and the trigger both hold through the
 * same credential. The token itself never leaves n8n, and nothing secret goes
 * into callbackPayload (Colossyan's docs warn against that).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_PARAMETER = 'n8nNonce';
export const SIGNATURE_PARAMETER = 'n8nSignature';

const DERIVATION_LABEL = 'n8n-nodes-rotateproduct-colossyan/callback/v1';

function signingKey(apiToken: string): Buffer {
	return createHmac('sha256', apiToken).update(DERIVATION_LABEL).digest();
}

function signatureOf(apiToken: string, nonce: string): string {
	return createHmac('sha256', signingKey(apiToken)).update(nonce).digest('base64url');
}

/** The callback URL with a fresh nonce and its signature added to the query. */
export function signCallbackUrl(callbackUrl: string, apiToken: string): string {
	const url = new URL(callbackUrl);
	const nonce = randomBytes(16).toString('base64url');
	url.searchParams.set(NONCE_PARAMETER, nonce);
	url.searchParams.set(SIGNATURE_PARAMETER, signatureOf(apiToken, nonce));
	return url.toString();
}

/** Constant-time comparison of two strings of any length. */
export function sameSecret(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b) && given.length === expected.length;
}

export function hasValidSignature(query: Record<string, unknown>, apiToken: string): boolean {
	const nonce = query[NONCE_PARAMETER];
	const signature = query[SIGNATURE_PARAMETER];
	if (typeof nonce !== 'string' || typeof signature !== 'string' || nonce.length < 16) return false;
	return sameSecret(signature, signatureOf(apiToken, nonce));
}
