// Terraform values as hcl2json and `.tf.json` give them: literal booleans, nested blocks (arrays of objects, or one
// object), `dynamic` blocks, attribute paths, lists, and CIDRs.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Path } from '../../model.js';
import { isRecord } from '../path.js';
import { isUnknown } from '../shapes.js';

export { isUnknown };

/** hcl2json spells a literal `true` as true; `.tf.json` files sometimes as "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A nested block's instances: hcl2json gives arrays of objects, `.tf.json` may give a single object. */
export function blocks(node: unknown, name: string): Record<string, unknown>[] {
  if (!isRecord(node)) return [];
  const value = node[name];
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** The first instance of a nested block. */
export function block(node: unknown, name: string): Record<string, unknown> | undefined {
  return blocks(node, name)[0];
}

/** A `dynamic "name"` block: its content is generated at plan time, so it is unknown, not absent. */
export function hasDynamic(node: unknown, name: string): boolean {
  return blocks(node, 'dynamic').some((d) => name in d);
}

/** Follow attribute names and block indices (`['vpc_config', 0, 'endpoint_public_access']`). */
export function attr(node: unknown, path: Path): unknown {
  let cur: unknown = node;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (Array.isArray(cur)) cur = cur[seg];
      else if (!(isRecord(cur) && seg === 0)) return undefined; // a block written as one object
      continue;
    }
    if (!isRecord(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** A list attribute's items; a single string counts as a list of one; unknown stays unknown. */
export function listOf(value: unknown): unknown[] | 'unknown' | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value) && typeof value === 'string' && value.startsWith('${') && value.endsWith('}')) return 'unknown';
  return Array.isArray(value) ? value : [value];
}

/**
 * The entries of a CIDR list that open to the internet: the whole of it (`0.0.0.0/0`, `::/0`), or a public range as
 * wide as a /8 of IPv4 (16 million addresses) or a /16 of IPv6, which no allow list of known sources needs (two
 * halves, `0.0.0.0/1` and `128.0.0.0/1`, are the whole internet). A private range (RFC 1918, shared, unique local)
 * is not public. Unknown entries are never judged.
 */
export function openCidrs(value: unknown): string[] {
  const list = listOf(value);
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is string => typeof c === 'string' && opensToInternet(c));
}

/** What open CIDRs reach, for messages: the whole internet when one is all of it, else the public range's size. */
export function internetReach(cidrs: readonly string[]): string {
  return cidrs.some((c) => prefixOf(c)?.bits === 0) ? 'the whole internet' : 'a public range of at least 16 million addresses';
}

/** Private ranges (RFC 1918, shared address space, IPv6 unique local): each with its width, to tell what lies inside. */
const PRIVATE_RANGES = ([['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['fc00::', 7, 'ipv6']] as const).map(([address, bits, family]) => {
  const list = new BlockList();
  list.addSubnet(address, bits, family);
  return { bits, family, list };
});

function prefixOf(cidr: string): { address: string; bits: number; family: 'ipv4' | 'ipv6' } | null {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!match) return null;
  const family = isIPv4(match[1]!) ? 'ipv4' : isIPv6(match[1]!) ? 'ipv6' : null;
  const bits = Number(match[2]);
  return family && bits <= (family === 'ipv4' ? 32 : 128) ? { address: match[1]!, bits, family } : null;
}

/** The address as a number of its family's width (IPv4 32 bits, IPv6 128; an embedded IPv4 tail read as two groups). */
function addressValue(address: string, family: 'ipv4' | 'ipv6'): bigint {
  if (family === 'ipv4') return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const text = tail ? address.slice(0, -tail[1]!.length) + ((v) => `${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`)(addressValue(tail[1]!, 'ipv4')) : address;
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const filled = rest === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(rest).length).fill('0'), ...groups(rest)];
  return filled.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function opensToInternet(cidr: string): boolean {
  const prefix = prefixOf(cidr);
  if (!prefix || prefix.bits > (prefix.family === 'ipv4' ? 8 : 16)) return false;
  // Only a range written as its network address (`0.0.0.0/1`; not `1.1.1.1/1` or `0.0.2.0/0`, which the AWS provider
  // refuses, "must contain a valid network CIDR", so nothing is deployed).
  const width = prefix.family === 'ipv4' ? 32n : 128n;
  const hostBits = (1n << (width - BigInt(prefix.bits))) - 1n;
  if ((addressValue(prefix.address, prefix.family) & hostBits) !== 0n) return false;
  // A range wholly inside a private one (10.0.0.0/8 itself) is not reachable from the internet.
  return !PRIVATE_RANGES.some((range) => range.family === prefix.family && prefix.bits >= range.bits && range.list.check(prefix.address, prefix.family));
}

/** Values for messages: `a`, `b`. */
export function listText(values: readonly unknown[]): string {
  return values.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ');
}
