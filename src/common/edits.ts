// Turn a rewritten file into line edits a GitHub suggestion can carry; apply several ops' rewrites at once.
import type { Edit, EditOp, Path, Splice } from '../model.js';

/**
 * One edit covering every changed line between `before` and `after`. Only the lines around the change are
 * compared (with a line of margin each side), so a fix in a large file costs the size of the fix.
 */
export function lineEdit(file: string, before: string, after: string): Edit | null {
  return windowedLineEdit(file, before, after)?.edit ?? null;
}

/** Lines of margin a spliced window keeps each side: lineEdit reads at most two lines beyond the change. */
const WINDOW_MARGIN = 3;

/**
 * lineEdit of `before` and what one splice makes of it, computed on the lines around the splice alone: the same
 * edit, without building and comparing the whole new text (in a file of 1,000 documents, once per finding, that was
 * most of the review). Where the window cannot tell (the change's own lines run to its edge), the whole texts are
 * compared.
 */
export function spliceEdit(file: string, before: string, splice: Splice): Edit | null {
  const start = lineStartAbove(before, splice.from, WINDOW_MARGIN);
  const end = lineEndBelow(before, splice.to, WINDOW_MARGIN);
  const whole = () => lineEdit(file, before, before.slice(0, splice.from) + splice.insert + before.slice(splice.to));
  if (start === 0 && end === before.length) return whole();
  const windowBefore = before.slice(start, end);
  const windowAfter = before.slice(start, splice.from) + splice.insert + before.slice(splice.to, end);
  const found = windowedLineEdit(file, windowBefore, windowAfter);
  if (!found) return null;
  // Exact when the change's lines stay inside the window: the common start stops before the window's end, and the
  // common end covers all that follows the splice (else it might run on outside). Blank lines all around the change
  // are read in the whole texts.
  const max = Math.min(windowBefore.length, windowAfter.length);
  if (found.head >= max || found.tail < end - splice.to || found.wholeText) return whole();
  const offset = countLines(before, start);
  return { ...found.edit, startLine: found.edit.startLine + offset, endLine: found.edit.endLine + offset };
}

function lineStartAbove(text: string, offset: number, lines: number): number {
  // (lastIndexOf reads a negative position as 0, so the text's start is said here.)
  let at = offset > 0 ? text.lastIndexOf('\n', offset - 1) : -1;
  for (let i = 0; i < lines && at >= 0; i++) at = at > 0 ? text.lastIndexOf('\n', at - 1) : -1;
  return at + 1;
}

function lineEndBelow(text: string, offset: number, lines: number): number {
  let at = text.indexOf('\n', offset);
  for (let i = 0; i < lines && at !== -1; i++) at = text.indexOf('\n', at + 1);
  return at === -1 ? text.length : at + 1;
}

function windowedLineEdit(file: string, before: string, after: string): { edit: Edit; head: number; tail: number; wholeText: boolean } | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  const head = commonPrefix(before, after, max);
  const tail = commonSuffix(before, after, max - head);
  // From the start of the line above the first difference to the end of the line below the last one:
  // both texts agree outside this window.
  let from = before.lastIndexOf('\n', head - 1);
  from = from <= 0 ? 0 : before.lastIndexOf('\n', from - 1) + 1;
  let to = before.indexOf('\n', before.length - tail);
  to = to === -1 ? before.length : before.indexOf('\n', to + 1);
  to = to === -1 ? before.length : to + 1;
  const afterTo = after.length - (before.length - to);
  const offset = countLines(before, from);
  const edit = windowEdit(file, before.slice(from, to), after.slice(from, afterTo));
  // Blank lines all around the change: the window's line of margin was not enough to give the suggestion some text.
  if (edit?.replacement === '') {
    const wider = windowEdit(file, before, after);
    return wider && { edit: wider, head, tail, wholeText: true };
  }
  return edit && { edit: { ...edit, startLine: edit.startLine + offset, endLine: edit.endLine + offset }, head, tail, wholeText: false };
}

// Both compare blocks of characters (a substring comparison is one memory compare) that grow while they match
// and halve when one does not, then one character at a time inside the last 64: a fix in a file of 1 MB costs a
// few dozen comparisons, not one per 64 characters of the file (once per finding, that was most of the review).
const BLOCK = 64;

function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  let block = BLOCK;
  while (n < max) {
    const size = Math.min(block, max - n);
    if (a.slice(n, n + size) === b.slice(n, n + size)) {
      n += size;
      block *= 2;
    } else if (size > BLOCK) block = size >> 1;
    else break;
  }
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  let block = BLOCK;
  while (n < max) {
    const size = Math.min(block, max - n);
    if (a.slice(a.length - n - size, a.length - n) === b.slice(b.length - n - size, b.length - n)) {
      n += size;
      block *= 2;
    } else if (size > BLOCK) block = size >> 1;
    else break;
  }
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

// Every finding of a file is rendered against the same text: a large text's line breaks are found once (a small
// one, such as a window around a change, is counted as it is, and leaves the large one's in place).
let lineBreaks: { text: string; offsets: number[] } | null = null;

/** The offsets of a large text's line breaks, found once for the text last asked about. */
function lineBreakOffsets(text: string): number[] {
  if (lineBreaks?.text !== text) {
    const offsets: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i);
    lineBreaks = { text, offsets };
  }
  return lineBreaks.offsets;
}

/** Lines `startLine`..`endLine` (1-based, inclusive) of a text, as `text.split('\n').slice(startLine - 1, endLine).join('\n')` gives them. */
export function textLines(text: string, startLine: number, endLine: number): string {
  const breaks = lineBreakOffsets(text);
  const first = Math.max(0, startLine - 1);
  const last = Math.min(breaks.length, endLine - 1);
  if (first > last) return '';
  return text.slice(first === 0 ? 0 : breaks[first - 1]! + 1, last < breaks.length ? breaks[last] : text.length);
}

/** The line breaks before `end` in `text`, counted one by one (for a text seen once, or a small one). */
export function lineBreaksBefore(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line breaks before `end` in `text`. */
function countLines(text: string, end: number): number {
  if (text.length < 4096) return lineBreaksBefore(text, end);
  const offsets = lineBreakOffsets(text);
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid]! < end) low = mid + 1;
    else high = mid;
  }
  return low;
}

function windowEdit(file: string, before: string, after: string): Edit | null {
  if (before === after) return null;
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  let start = head; // old lines [start, end) are replaced, 0-based
  let end = a.length - tail;
  let replacement = b.slice(head, b.length - tail);
  // A suggestion must replace at least one line, and an empty one deletes its lines (so one empty line cannot be
  // told from none): widen a pure insertion or deletion, or a change to empty lines only, by the lines above it
  // (below it, at the top of the window) until it holds some text.
  while (end === start || replacement.join('\n') === '') {
    if (start > 0) {
      start -= 1;
      replacement = [a[start]!, ...replacement];
    } else if (end < a.length) {
      replacement = [...replacement, a[end] ?? ''];
      end += 1;
    } else break;
  }
  return { file, startLine: start + 1, endLine: end, replacement: detached(replacement.join('\n')) };
}

/**
 * A copy of a string that holds on to nothing else. A line that `split` cut out of the fixed file, returned as it is
 * by a one-item `join`, keeps the whole file alive for as long as the edit lives: every finding of a file of 1,000
 * documents held its own fixed copy of the file (800 MB).
 */
function detached(text: string): string {
  return text.length === 0 ? text : (' ' + text).slice(1);
}

/** Apply edits (non-overlapping, any order) to a text, the way GitHub applies suggestions. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  return applyBySlices(text, edits) ?? applyByLines(text, edits);
}

/**
 * applyEdits for the usual edits (each replacing lines the text has, none touching or next to another) by slicing the text
 * between them, its line breaks found once: a proof applies a fix to a base of 1,000 objects without splitting and
 * joining it whole. Null for any other edits, which applyByLines applies.
 */
function applyBySlices(text: string, edits: readonly Edit[]): string | null {
  if (edits.length === 0 || text.length < 4096) return null;
  const sorted = [...edits].sort((x, y) => x.startLine - y.startLine);
  const breaks = lineBreakOffsets(text);
  const lineCount = breaks.length + 1;
  const start = (line: number) => (line === 0 ? 0 : breaks[line - 1]! + 1);
  for (let i = 0; i < sorted.length; i++) {
    const { startLine, endLine } = sorted[i]!;
    if (startLine < 1 || endLine < startLine || endLine > lineCount || (i > 0 && sorted[i - 1]!.endLine >= startLine - 1)) return null;
  }
  return applySplices(
    text,
    sorted.map((edit): Splice => {
      const first = edit.startLine - 1;
      const last = edit.endLine - 1;
      // The replaced lines without the line break after the last (the text's end for its last line).
      if (edit.replacement !== '') return { from: start(first), to: last + 1 < lineCount ? breaks[last]! : text.length, insert: edit.replacement };
      // An empty suggestion deletes its lines, with the line break after them, or at the text's end the one before.
      if (last + 1 < lineCount) return { from: start(first), to: start(last + 1), insert: '' };
      return { from: Math.max(0, start(first) - 1), to: text.length, insert: '' };
    }),
  );
}

function applyByLines(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  const sorted = [...edits].sort((x, y) => y.startLine - x.startLine);
  for (const edit of sorted) {
    // An empty suggestion deletes its lines.
    lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...(edit.replacement === '' ? [] : edit.replacement.split('\n')));
  }
  return lines.join('\n');
}

/**
 * The indices to drop from `current` to leave `wanted`, when `wanted` is some of its items in order; else null.
 * A writer then removes just those items, so the kept ones keep their text and comments.
 */
export function droppedItems(current: readonly unknown[], wanted: readonly unknown[]): number[] | null {
  if (wanted.length === 0 || wanted.length >= current.length) return null;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const dropped: number[] = [];
  let kept = 0;
  current.forEach((item, i) => {
    if (kept < wanted.length && same(item, wanted[kept])) kept++;
    else dropped.push(i);
  });
  return kept === wanted.length ? dropped : null;
}

/**
 * Ops applied together from the text as parsed, each rewriting it alone (`alone`, from the parse the format holds):
 * when no op's path leads into another's and the characters each changes lie apart (not even touching), the result
 * is what applying them one after another gives, without a parse per op. Null when that cannot be told.
 */
export function appliedApart(text: string, ops: readonly EditOp[], alone: (op: EditOp) => string): string | null {
  if (!pathsApart(ops)) return null;
  const splices: { from: number; to: number; insert: string }[] = [];
  for (const op of ops) {
    const after = alone(op);
    if (after === text) continue;
    const max = Math.min(text.length, after.length);
    const head = commonPrefix(text, after, max);
    const tail = commonSuffix(text, after, max - head);
    // Whole lines: the shortest difference may leave out characters the op rewrote as they were (a realigned `=`).
    const from = text.lastIndexOf('\n', head - 1) + 1;
    let to = text.length - tail;
    if (to > from && text[to - 1] !== '\n') to = text.indexOf('\n', to) === -1 ? text.length : text.indexOf('\n', to) + 1;
    splices.push({ from, to, insert: after.slice(from, after.length - (text.length - to)) });
  }
  splices.sort((a, b) => a.from - b.from);
  // At least one line untouched between two changes: an op reads the lines next to where it writes.
  for (let i = 1; i < splices.length; i++) if (splices[i - 1]!.to >= splices[i]!.from) return null;
  return applySplices(text, splices);
}

/** Characters [from, to) of the text replaced by `insert`, for splices in order that do not overlap. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  let out = '';
  let at = 0;
  for (const { from, to, insert } of splices) {
    out += text.slice(at, from) + insert;
    at = to;
  }
  return out + text.slice(at);
}

/** Whether no op's path is another's or leads to it. */
export function pathsApart(ops: readonly EditOp[]): boolean {
  for (let i = 0; i < ops.length; i++) {
    for (let j = i + 1; j < ops.length; j++) if (leadsInto(ops[i]!.path, ops[j]!.path) || leadsInto(ops[j]!.path, ops[i]!.path)) return false;
  }
  return true;
}

/** Whether path `a` is `b` or leads to it. */
function leadsInto(a: Path, b: Path): boolean {
  return a.length <= b.length && a.every((seg, i) => seg === b[i]);
}
