/**
 * Which addresses are on the public internet. Everything else — loopback, private (RFC 1918, unique
 * local), link-local (where cloud metadata services answer: 169.254.169.254, fd00:ec2::254),
 * carrier-grade NAT, "this network", multicast, reserved and documentation ranges — is the
 * operator's own network or nobody's, and a public source must not lead a worker there.
 * The ranges are IANA's special-purpose registries (RFC 6890 and its updates).
 */
import { BlockList, isIP } from 'node:net';

/** True for an IPv4 or IPv6 address outside every special-purpose range; false for anything else. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  return family === 6 && !NOT_PUBLIC.check(address, 'ipv6');
}

/**
 * The address a URL's `hostname` names literally (`[::1]` → `::1`), or undefined for a name.
 * WHATWG URL parsing already turned `0x7f.1`, `2130706433` and `127.1` into `127.0.0.1`.
 */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

/** `localhost` and its subdomains, which resolvers answer with loopback without asking DNS (RFC 6761). */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

// --- Internal helpers ---

/** Special-purpose IPv4 ranges. */
const IPV4_RANGES: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // deprecated 6to4 relays
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

/** Special-purpose IPv6 ranges. */
const IPV6_RANGES: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const NOT_PUBLIC = buildRanges();

function buildRanges(): BlockList {
  const list = new BlockList();
  // BlockList also matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against the IPv4 ranges.
  for (const [network, prefix] of IPV4_RANGES) {
    list.addSubnet(network, prefix, 'ipv4');
    // NAT64 (RFC 6052, 64:ff9b::/96) and 6to4 (RFC 3056, 2002::/16) carry an IPv4 address inside:
    // the same ranges, written inside those prefixes.
    list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
    list.addSubnet(`2002:${hexGroups(network)}::`, 16 + prefix, 'ipv6');
  }
  for (const [network, prefix] of IPV6_RANGES) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

/** An IPv4 address as two IPv6 groups: 10.1.2.3 → `a01:203`. */
function hexGroups(ipv4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}
