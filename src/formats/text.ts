// Bytes → text, in one place for the command line (files read as bytes) and the App (base64 blobs):
// binary content, invalid UTF-8 and oversized files become a reason to skip; a BOM is dropped.
import { BINARY_SNIFF_BYTES, MAX_NESTING, currentLimits, formatBytes } from '../common/limits.js';

export type Decoded = { text: string } | { skipped: string };

const BOM = '\uFEFF';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a file's bytes, or why it is not reviewed. */
export function decodeText(bytes: Uint8Array, maxBytes = currentLimits().maxFileBytes): Decoded {
  if (bytes.byteLength > maxBytes) {
    return { skipped: `too large to review (${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(maxBytes)})` };
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipped: 'binary content: not reviewed' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skipped: `not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}): not reviewed` };
  }
  return checkedContent(stripBom(text));
}

/**
 * The same checks on text that is already a string (a caller that decoded it itself): a NUL means binary.
 * Size is counted in UTF-16 units, close enough for a limit. Encoding cannot be checked any more: decode bytes
 * with decodeText where you have them.
 */
export function checkText(text: string, maxBytes = currentLimits().maxFileBytes): Decoded {
  if (text.length > maxBytes) return { skipped: `too large to review (${formatBytes(text.length)}; the limit is ${formatBytes(maxBytes)})` };
  if (text.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return { skipped: 'binary content: not reviewed' };
  return checkedContent(stripBom(text));
}

/**
 * A Git LFS pointer (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md) stands for a file stored outside
 * the repository, which is what a checkout with LFS deploys: read as YAML, the pointer would be a file of no object.
 */
const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\r?\n(?:.*\n)*?oid sha256:[0-9a-f]{64}\r?\n/;

function checkedContent(text: string): Decoded {
  if (text.length < 1024 && LFS_POINTER.test(text)) return { skipped: 'a Git LFS pointer: the file it stands for is stored outside the repository, and Warden does not fetch it' };
  return { text };
}

/** A leading BOM is not content: dropping it shifts no line, and parsers then see the first key as written. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return i;
}

/** The reason a file nested deeper than the limit is not reviewed. */
export function nestingReason(line: number): string {
  return `it nests deeper than ${MAX_NESTING} levels (line ${line}), past the parsers' limit`;
}

/**
 * The line where bracket nesting first goes deeper than `limit`, or null. Counts every bracket, in strings too:
 * a guard in front of recursive parsers, not a parser.
 */
export function deepNestingLine(text: string, limit: number, open: string, close: string): number | null {
  // Jumps from bracket to bracket (a regular expression finds them far faster than a loop over every character);
  // the line is counted only for the answer.
  const brackets = bracketPattern(open + close);
  brackets.lastIndex = 0;
  let depth = 0;
  for (let found = brackets.exec(text); found; found = brackets.exec(text)) {
    if (open.includes(found[0])) {
      if (++depth > limit) return lineAt(text, found.index);
    } else depth = Math.max(0, depth - 1);
  }
  return null;
}

const bracketPatterns = new Map<string, RegExp>();
function bracketPattern(characters: string): RegExp {
  let pattern = bracketPatterns.get(characters);
  if (!pattern) bracketPatterns.set(characters, (pattern = new RegExp(`[${characters.replace(/[\]\\^-]/g, '\\$&')}]`, 'g')));
  return pattern;
}

/** The 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** How many lines start a YAML document (`---`), counted up to `limit + 1`: a cheap guard before parsing. */
export function documentStarts(text: string, limit: number): number {
  let count = text.startsWith('---') ? 1 : 0;
  for (let at = text.indexOf('\n---'); at >= 0 && count <= limit; at = text.indexOf('\n---', at + 4)) count++;
  return count;
}
