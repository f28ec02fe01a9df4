// The public-address rule on its own: a table of addresses in every form a hostile URL or DNS answer
// could use to reach the user's machine or network, and public ones that must still pass.
import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './public-address';

const REFUSED = [
  // IPv4: unspecified, loopback, private, CGNAT, link-local (cloud metadata), multicast, reserved, docs
  '0.0.0.0',
  '0.1.2.3',
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.0.1',
  '192.168.255.255',
  '100.64.0.1',
  '100.127.255.255',
  '169.254.169.254',
  '169.254.0.1',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '192.88.99.1',
  // IPv6: unspecified, loopback, unique-local, link-local (with a zone too), site-local, multicast
  '::',
  '::1',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'fec0::1',
  'ff02::1',
  'ff05::1:3',
  // IPv4-mapped, -compatible and NAT64/6to4 forms of refused IPv4 addresses
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::FFFF:10.0.0.1',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '::ffff:0.0.0.0',
  '0:0:0:0:0:ffff:c0a8:0101',
  '::127.0.0.1',
  '::7f00:1',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a00:1',
  '2002:7f00:1::1',
  '2002:c0a8:101::',
  // IPv6 blocks that are not global unicast: Teredo, documentation, discard, local NAT64, SRv6
  '2001::1',
  '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  '2001:db8::1',
  '3fff::1',
  '100::1',
  '64:ff9b:1::1',
  '5f00::1',
  // not addresses at all
  'localhost',
  'images.example',
  '',
  '1.2.3',
  '999.1.1.1',
  '::ffff:999.0.0.1',
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '172.15.255.255',
  '172.32.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '169.253.255.255',
  '192.167.1.1',
  '223.255.255.255',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001:81b::200e',
  '2001:4860:4860::8888',
  // IPv4-mapped and NAT64/6to4 forms of a public IPv4 address deliver to that public host
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8.8.8.8',
  '2002:808:808::1',
];

describe('isPublicAddress', () => {
  it.each(REFUSED)('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(ALLOWED)('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
