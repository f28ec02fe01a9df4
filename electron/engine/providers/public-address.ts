// The rule for addresses the engine may fetch a client-named URL from (inline images): public unicast
// only. Anything local, private, shared, reserved, documentation or multicast is refused, in any form.
import { BlockList, isIP } from 'node:net';

/** IPv4 ranges that are not publicly routable unicast (IANA special-purpose registry, plus multicast). */
const V4_REFUSED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", incl. the unspecified address (connects to the local host)
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];

/** Inside global unicast (2000::/3), the blocks that are not publicly routable (Teredo, documentation). */
const V6_REFUSED: Array<[string, number]> = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
];

const v4Refused = new BlockList();
for (const [net, prefix] of V4_REFUSED) v4Refused.addSubnet(net, prefix, 'ipv4');
const v6Refused = new BlockList();
for (const [net, prefix] of V6_REFUSED) v6Refused.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of a valid IPv6 address (zone id dropped, a trailing dotted quad folded in). */
function ipv6Bytes(ip: string): number[] {
  let s = ip.replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const groups = tail === undefined ? first : [...first, ...Array<string>(8 - first.length - last.length).fill('0'), ...last];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const isZero = (bytes: number[]) => bytes.every((b) => b === 0);
const v4 = (bytes: number[]) => bytes.join('.');

/**
 * The IPv4 address an IPv6 one stands for, where the network would deliver it to that IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIPv4(b: number[]): string | undefined {
  if (isZero(b.slice(0, 10)) && b[10] === 0xff && b[11] === 0xff) return v4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && isZero(b.slice(4, 12))) return v4(b.slice(12));
  if (b[0] === 0x20 && b[1] === 0x02) return v4(b.slice(2, 6));
  return undefined;
}

/** True only for a literal IP address that is public unicast; names, garbage and every local form are false. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.replace(/%.*$/, ''));
  if (family === 4) return !v4Refused.check(address, 'ipv4');
  if (family !== 6) return false;
  const bytes = ipv6Bytes(address);
  const inner = embeddedIPv4(bytes);
  if (inner !== undefined) return isPublicAddress(inner);
  // Only 2000::/3 is allocated for global unicast: this refuses ::, ::1, IPv4-compatible ::a.b.c.d,
  // fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64 and 64:ff9b:1::/48 in one test.
  if ((bytes[0]! & 0xe0) !== 0x20) return false;
  return !v6Refused.check(address.replace(/%.*$/, ''), 'ipv6');
}
