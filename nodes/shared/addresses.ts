/**
 * Whether an IP address is somewhere n8n must not be steered to: loopback,
 * private (RFC 1918, IPv6 unique local), link-local, CGNAT, unspecified,
 * multicast, reserved, documentation, or a cloud metadata address. IPv6 forms
 * that carry an IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that IPv4 address.
 */
import { isIPv4, isIPv6 } from 'node:net';

type Range = [bytes: number[], prefixBits: number, reason: string];

const IPV4_RANGES: Range[] = [
	[[0, 0, 0, 0], 8, 'an unspecified ("this network") address'],
	[[10, 0, 0, 0], 8, 'a private address (RFC 1918)'],
	[[100, 64, 0, 0], 10, 'a carrier-grade NAT address (RFC 6598)'],
	[[127, 0, 0, 0], 8, 'a loopback address'],
	[[169, 254, 0, 0], 16, 'a link-local address (cloud metadata lives here)'],
	[[172, 16, 0, 0], 12, 'a private address (RFC 1918)'],
	[[192, 0, 0, 0], 24, 'an IETF protocol address'],
	[[192, 0, 2, 0], 24, 'a documentation address'],
	[[192, 88, 99, 0], 24, 'a reserved relay address'],
	[[192, 168, 0, 0], 16, 'a private address (RFC 1918)'],
	[[198, 18, 0, 0], 15, 'a benchmarking address'],
	[[198, 51, 100, 0], 24, 'a documentation address'],
	[[203, 0, 113, 0], 24, 'a documentation address'],
	[[224, 0, 0, 0], 4, 'a multicast address'],
	[[240, 0, 0, 0], 4, 'a reserved address'],
	// Azure's platform endpoint answers instance metadata from a public-looking address.
	[[168, 63, 129, 16], 32, 'a cloud metadata address'],
];

const IPV6_RANGES: Range[] = [
	[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128, 'an unspecified address'],
	[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'a loopback address'],
	[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96, 'a reserved address'],
	[[0x01, 0, 0, 0, 0, 0, 0, 0], 64, 'a discard-only address'],
	[[0x20, 0x01, 0, 0], 32, 'a Teredo tunnel address'],
	[[0x20, 0x01, 0x0d, 0xb8], 32, 'a documentation address'],
	[[0, 0x64, 0xff, 0x9b, 0, 1], 48, 'a local NAT64 address'],
	[[0xfc], 7, 'a private (unique local) address'],
	[[0xfe, 0x80], 10, 'a link-local address'],
	[[0xfe, 0xc0], 10, 'a site-local address'],
	[[0xff], 8, 'a multicast address'],
];

/** Why this address must not be fetched, or undefined when it is public. Unparsable input is refused. */
export function blockedAddressReason(address: string): string | undefined {
	const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	if (isIPv4(bare)) return inRanges(ipv4Bytes(bare), IPV4_RANGES);
	if (!isIPv6(bare)) return 'not an IP address';
	const bytes = ipv6Bytes(bare);
	const embedded = embeddedIpv4(bytes);
	if (embedded) return inRanges(embedded, IPV4_RANGES);
	return inRanges(bytes, IPV6_RANGES);
}

function inRanges(bytes: number[], ranges: Range[]): string | undefined {
	return ranges.find(([base, bits]) => matches(bytes, base, bits))?.[2];
}

function matches(bytes: number[], base: number[], bits: number): boolean {
	for (let bit = 0; bit < bits; bit++) {
		const byte = Math.floor(bit / 8);
		const mask = 0x80 >> bit % 8;
		if (((bytes[byte] ?? 0) & mask) !== ((base[byte] ?? 0) & mask)) return false;
	}
	return true;
}

function ipv4Bytes(address: string): number[] {
	return address.split('.').map(Number);
}

/** 16 bytes of an IPv6 address, `::` expanded and a dotted IPv4 tail converted. */
function ipv6Bytes(address: string): number[] {
	let text = address.toLowerCase();
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = ipv4Bytes(dotted[1]);
		text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const headGroups = head === '' ? [] : head.split(':');
	const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
	const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
	const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
	return groups.flatMap((group) => {
		const value = parseInt(group, 16);
		return [value >> 8, value & 0xff];
	});
}

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one. */
function embeddedIpv4(bytes: number[]): number[] | undefined {
	const zeroUpTo = (end: number) => bytes.slice(0, end).every((byte) => byte === 0);
	const mapped = zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff;
	const compatible = zeroUpTo(12) && !(bytes[12] === 0 && bytes[13] === 0 && bytes[14] === 0);
	const nat64 = bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.slice(4, 12).every((b) => b === 0);
	if (mapped || compatible || nat64) return bytes.slice(12, 16);
	if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
	return undefined;
}
