// A fix's line edits shown as a unified diff against the scanned text.
import { structuredPatch } from 'diff';
import type { Edit } from '../model.js';

// Every fix of a file is shown against the same text: it is split into lines once (a file of 1,000 objects has
// thousands of fixes, and splitting it for each took seconds).
let split: { text: string; lines: string[] } | null = null;

export function editAsDiff(text: string, edit: Edit, context = 1): string {
  if (split?.text !== text) split = { text, lines: text.split('\n') };
  const { lines } = split;
  const before = lines.slice(edit.startLine - 1, edit.endLine).join('\n') + '\n';
  const after = edit.replacement + '\n';
  const patch = structuredPatch(edit.file, edit.file, before, after, '', '', { context });
  return patch.hunks
    .map((hunk) => {
      const oldStart = hunk.oldStart + edit.startLine - 1;
      const newStart = hunk.newStart + edit.startLine - 1;
      return [`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines].join('\n');
    })
    .join('\n');
}
