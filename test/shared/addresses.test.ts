/** The address classes the URL guard refuses, in every notation an address can take. */
import { blockedAddressReason } from '../../nodes/shared/addresses';
import { isAllowedHost, parseAllowedHosts, whyRefused } from '../../nodes/shared/urlGuard';

describe('blocked addresses', () => {
	test.each([
		['127.0.0.1', /loopback/],
		['127.255.255.254', /loopback/],
		['10.0.0.1', /private/],
		['172.16.0.1', /private/],
		['172.31.255.255', /private/],
		['192.168.1.1', /private/],
		['169.254.169.254', /link-local/],
		['100.64.0.1', /carrier-grade NAT/],
		['100.100.100.200', /carrier-grade NAT/],
		['0.0.0.0', /unspecified/],
		['168.63.129.16', /metadata/],
		['224.0.0.1', /multicast/],
		['255.255.255.255', /reserved/],
		['::1', /loopback/],
		['::', /unspecified/],
		['0:0:0:0:0:0:0:1', /loopback/],
		['::ffff:127.0.0.1', /loopback/],
		['::ffff:7f00:1', /loopback/],
		['::ffff:a9fe:a9fe', /link-local/],
		['::127.0.0.1', /loopback/],
		['64:ff9b::10.0.0.1', /private/],
		['2002:c0a8:0101::1', /private/],
		['2001:0:4136:e378::1', /Teredo/],
		['fc00::1', /unique local/],
		['fd12:3456::1', /unique local/],
		['fe80::1', /link-local/],
		['fe80::1%eth0', /link-local/],
		['[::1]', /loopback/],
		['fd00:ec2::254', /unique local/],
		['ff02::1', /multicast/],
		['not-an-address', /not an IP address/],
	])('%s is refused', (address, reason) => {
		expect(blockedAddressReason(address)).toMatch(reason);
	});

	test.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1'])('%s is public', (address) => {
		expect(blockedAddressReason(address)).toBeUndefined();
	});
});

describe('Allowed Hosts', () => {
	test('exact names and *. subdomain patterns, letter case and brackets ignored', () => {
		const allowed = parseAllowedHosts(' Files.Example.internal, *.corp.example ;[::1]\n10.0.0.7');
		expect(allowed).toEqual(['files.example.internal', '*.corp.example', '::1', '10.0.0.7']);
		expect(isAllowedHost('files.example.internal', allowed)).toBe(true);
		expect(isAllowedHost('FILES.example.internal.', allowed)).toBe(true);
		expect(isAllowedHost('a.corp.example', allowed)).toBe(true);
		expect(isAllowedHost('corp.example', allowed)).toBe(false);
		expect(isAllowedHost('evilcorp.example', allowed)).toBe(false);
		expect(isAllowedHost('[::1]', allowed)).toBe(true);
		expect(isAllowedHost('10.0.0.8', allowed)).toBe(false);
	});
});

describe('URLs in every notation the URL parser (and so the request) accepts', () => {
	test.each([
		['hex dotted', 'http://0x7f.1/'],
		['hex whole', 'http://0x7f000001/'],
		['octal whole', 'http://017700000001/'],
		['octal dotted', 'http://0177.0.0.01/'],
		['short form', 'http://127.1/'],
		['decimal whole', 'http://2130706433/'],
		['trailing dot', 'http://127.0.0.1./'],
		['zero', 'http://0/'],
		['IPv4-mapped IPv6 in hex', 'http://[::ffff:7f00:1]/'],
		['IPv4-mapped IPv6 dotted', 'http://[::ffff:127.0.0.1]/'],
		['IPv6 loopback long form', 'http://[0:0:0:0:0:0:0:1]/'],
		['metadata in hex', 'http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/'],
		['metadata mapped', 'http://[::ffff:a9fe:a9fe]/'],
		['upper-case localhost', 'http://LOCALHOST/'],
		['localhost with a trailing dot', 'http://localhost./'],
		['a subdomain of localhost', 'http://evil.localhost/'],
		['metadata name', 'http://metadata.google.internal./computeMetadata/v1/'],
		['credentials in the URL', 'http://user:pass@93.184.216.34/'],
		['not http', 'ftp://93.184.216.34/'],
	])('%s (%s) is refused', async (_name, url) => {
		expect(await whyRefused(url, [])).toEqual(expect.any(String));
	});

	test('an IPv6 zone id is not a URL the guard (or the request) accepts', async () => {
		expect(await whyRefused('http://[fe80::1%25eth0]/', [])).toEqual(expect.any(String));
	});

	test('a public address in any notation passes (the guard judges the address, not the spelling)', async () => {
		expect(await whyRefused('http://0x5d.0xb8.0xd8.0x22/', [])).toBeUndefined();
		expect(await whyRefused('http://[::ffff:5db8:d822]/', [])).toBeUndefined();
	});

	test('Allowed Hosts matches the host as the URL parser normalised it, not as it was spelled', async () => {
		expect(await whyRefused('http://LOCALHOST./x', ['localhost'])).toBeUndefined();
		expect(await whyRefused('http://0x7f.1/x', ['127.0.0.1'])).toBeUndefined();
		// Allowing one loopback address does not allow the others.
		expect(await whyRefused('http://127.0.0.2/x', ['127.0.0.1'])).toMatch(/loopback/);
	});
});
