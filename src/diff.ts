// A file's unified patch → the head-side lines it changed, the lines GitHub lets a review comment on, and where
// lines were removed (a removal leaves no head-side line of its own, so it is kept as the place between two).
import { applyPatch, parsePatch, reversePatch } from 'diff';

/** Lines removed from the base, between head lines `after` and `after + 1` (`after` 0: at the top of the file). */
export interface Removal {
  after: number;
  /** The removed lines' text, without the `-`. */
  lines: string[];
}

export interface PatchLines {
  /** Head-side lines added or modified, and the lines on either side of a deletion. */
  changed: Set<number>;
  /** Head-side lines the patch adds (`+`): a suppression on one was written in this change. */
  added: Set<number>;
  /** Every head-side line inside a hunk: the only lines a review comment may sit on. */
  commentable: Set<number>;
  /** Head-side line spans of the hunks (a suggestion must stay inside one). */
  hunks: { start: number; end: number }[];
  /** Every run of removed lines, in file order. */
  removals: Removal[];
}

/** Whether any line of a range (1-based, inclusive) is among the changed lines. */
export function rangeTouches(range: { startLine: number; endLine: number }, changed: ReadonlySet<number>): boolean {
  for (let line = range.startLine; line <= range.endLine; line++) if (changed.has(line)) return true;
  return false;
}

export function patchLines(patch: string): PatchLines {
  const changed = new Set<number>();
  const added = new Set<number>();
  const commentable = new Set<number>();
  const hunks: { start: number; end: number }[] = [];
  const removals: Removal[] = [];
  // GitHub's `patch` has hunks only; parsePatch accepts that.
  for (const file of parsePatch(patch)) {
    for (const hunk of file.hunks) {
      let line = hunk.newStart;
      const start = line;
      let removal: Removal | null = null;
      for (const text of hunk.lines) {
        const mark = text[0];
        if (mark === '+') {
          changed.add(line);
          added.add(line);
          commentable.add(line);
          line++;
        } else if (mark === '-') {
          // A deletion changes the resource around it: mark its head-side neighbours.
          changed.add(line);
          if (line > 1) changed.add(line - 1);
          // Removed lines with no head line between them are one removal.
          if (removal?.after !== line - 1) removals.push((removal = { after: line - 1, lines: [] }));
          removal.lines.push(text.slice(1));
        } else if (mark === ' ') {
          commentable.add(line);
          line++;
        }
      }
      if (line > start) hunks.push({ start, end: line - 1 });
    }
  }
  return { changed, added, commentable, hunks, removals };
}

/** The hunk that holds every line of `start..end`, if one does. */
export function hunkHolding(lines: PatchLines, start: number, end: number) {
  return lines.hunks.find((h) => h.start <= start && end <= h.end) ?? null;
}

/** A file before the change: its head text with the patch undone, or null when the patch does not apply. */
export function undoPatch(headText: string, patch: string): string | null {
  const [parsed] = parsePatch(patch);
  if (!parsed || parsed.hunks.length === 0) return null;
  const base = applyPatch(headText, reversePatch(parsed));
  return base === false ? null : base;
}
