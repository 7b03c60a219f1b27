// A fix's line edits shown as a unified diff against the scanned text.
import { structuredPatch } from 'diff';
import type { Edit } from '../model.js';
import { textLines } from '../common/edits.js';

export function editAsDiff(text: string, edit: Edit, context = 1): string {
  // The text's line breaks are found once for all of its fixes (a file of 1,000 objects has thousands).
  const before = textLines(text, edit.startLine, edit.endLine) + '\n';
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
