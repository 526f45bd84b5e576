/**
 * Which URLs n8n may fetch when the URL came from outside (a callback body):
 * http(s) only, and only to public addresses. The host is resolved first and
 * every address it resolves to must be public, so a name pointing at
 * 127.0.0.1 is refused like the address itself. Hosts the user lists in an
 * allow-list option (self-hosted file stores) skip the address check.
 *
 * Limit: n8n's request helper resolves the name again when it connects, so a
 * DNS server that answers differently within that moment (rebinding) is not
 * covered here; n8n's own SSRF protection (2.x, N8N_SSRF_PROTECTION_ENABLED)
 * checks at connection time and applies to these requests too.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { blockedAddressReason } from './addresses';

/** Names that are internal whatever they resolve to. */
const INTERNAL_NAMES = [/^localhost$/, /\.localhost$/, /^metadata$/, /^metadata\.google\.internal$/, /^metadata\.goog$/, /\.internal$/];

/** The URL without query or credentials, for messages (a query may carry a token). */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 200);
	} catch {
		return '(not a URL)';
	}
}

/** `files.example.com, 10.0.0.7, *.corp.example` → a list of lower-case host patterns. */
export function parseAllowedHosts(value: unknown): string[] {
	const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : '';
	return text
		.split(/[\s,;]+/)
		.map((entry) => entry.trim().toLowerCase().replace(/^\[|\]$/g, ''))
		.filter((entry) => entry !== '');
}

export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
	const host = bareHost(hostname);
	return allowedHosts.some((pattern) =>
		pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern,
	);
}

function bareHost(hostname: string): string {
	return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/**
 * Resolves and checks one URL: why it must not be fetched, or undefined when it
 * may be. Call it again for every redirect hop.
 */
export async function whyRefused(url: string, allowedHosts: readonly string[]): Promise<string | undefined> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return `only http and https URLs are fetched, not ${parsed.protocol}`;
	}
	if (parsed.username !== '' || parsed.password !== '') return 'it carries a user name or password';
	if (isAllowedHost(parsed.hostname, allowedHosts)) return undefined;
	const host = bareHost(parsed.hostname);
	if (INTERNAL_NAMES.some((name) => name.test(host))) return `${host} is an internal host name`;
	const addresses = await addressesOf(host);
	if (addresses.length === 0) return `the host name ${host} could not be resolved`;
	for (const address of addresses) {
		const reason = blockedAddressReason(address);
		if (reason) return isIP(host) ? `${address} is ${reason}` : `${host} resolves to ${address}, ${reason}`;
	}
	return undefined;
}

async function addressesOf(host: string): Promise<string[]> {
	if (isIP(host)) return [host];
	try {
		return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
	} catch {
		return [];
	}
}
