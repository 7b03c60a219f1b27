// Which CIDRs open to the internet (src/engine/terraform/values.ts): the whole of it, or a public range as wide as a
// /8 of IPv4 or a /16 of IPv6, written as its network address; never a private range.
import { describe, expect, it } from 'vitest';
import { internetReach, openCidrs } from '../../src/engine/terraform.js';

describe('openCidrs', () => {
  it('the whole internet, its halves, and wide public ranges, in either family', () => {
    expect(openCidrs(['0.0.0.0/0', '::/0', '0.0.0.0/1', '128.0.0.0/1', '8.0.0.0/8', '2000::/3', '2001::/16'])).toEqual(['0.0.0.0/0', '::/0', '0.0.0.0/1', '128.0.0.0/1', '8.0.0.0/8', '2000::/3', '2001::/16']);
    expect(internetReach(['0.0.0.0/1', '::/0'])).toBe('the whole internet');
    expect(internetReach(['8.0.0.0/8'])).toBe('a public range of at least 16 million addresses');
  });

  it('not a narrower or private range, one with host bits set (refused by the provider), nor what is not a CIDR', () => {
    expect(openCidrs(['8.8.0.0/16', '10.0.0.0/8', 'fc00::/7', 'fd00::/8', '2001:db8::/32', '1.1.1.1/1', '0.0.2.0/0', '2001:db8::1/16', '0.0.0.0/33', 'any', '${var.cidr}'])).toEqual([]);
    // A single string counts as a list of one.
    expect(openCidrs('0.0.0.0/0')).toEqual(['0.0.0.0/0']);
  });
});
