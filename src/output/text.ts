// `--format text`: readable in a terminal, with each suggested patch. What comes from the files scanned is shown
// through the escaping layer too: no control character reaches the terminal (an escape sequence could rewrite
// what it shows) and no secret-looking value reaches a CI log.
import { suppressedHow, type Renderer } from './report.js';
import { editAsDiff } from './patch.js';
import { FIELD_LIMITS, maskSecrets, plain, sanitize, sanitizeBlock, truncate } from './inert.js';
import type { Applied } from '../fix-loop.js';

export const renderText: Renderer = (report) => {
  const out: string[] = [];
  // Findings that share a combined fix show it once, under the first of them.
  const shown = new Set<object>();
  for (const f of report.findings) {
    const flags = [f.suppressed ? `${suppressedHow(f, report)}: ${plain(f.suppressed.reason) || 'no reason given'}` : '', f.preExisting ? 'pre-existing' : ''].filter(Boolean);
    // A finding about the file itself (not reviewed, a parse error) names no resource: the file is not said twice.
    const resource = f.resource === f.file ? '' : `  ${plain(f.resource)}`;
    out.push(`${plain(f.file, FIELD_LIMITS.path)}:${f.line}  ${f.severity.toUpperCase()}  ${f.ruleId}${resource}${flags.length ? `  (${flags.join(', ')})` : ''}`);
    out.push(...messageLines(f.message));
    if (f.fix && f.fix.edits.length > 0 && f.fix.edits.every((e) => shown.has(e))) {
      out.push(`  fix (${f.fix.applicability}): ${plain(f.fix.description)} (in the combined change shown above)`);
    } else if (f.fix && f.fix.edits.length > 0) {
      for (const edit of f.fix.edits) shown.add(edit);
      out.push(`  fix (${f.fix.applicability}): ${plain(f.fix.description)}`);
      for (const edit of f.fix.edits) {
        // An edit may be in another file than the finding (a chart's values file, a Kustomize base): named, and
        // shown against that file's text when it was read, else as the lines it writes.
        if (edit.file !== f.file) out.push(`    in ${plain(edit.file, FIELD_LIMITS.path)}:`);
        const text = report.texts.get(edit.file);
        const block = text !== undefined ? editAsDiff(text, edit) : `lines ${edit.startLine}-${edit.endLine} become:\n${edit.replacement}`;
        out.push(...maskSecrets(sanitizeBlock(block)).split('\n').map((l) => `    ${l}`));
      }
    } else if (f.fix) {
      out.push(`  fix (by hand): ${plain(f.fix.description)}`);
    }
    out.push('');
  }
  for (const e of report.errors) out.push(`${plain(e.file, FIELD_LIMITS.path)}: error: ${plain(e.message)}`);
  for (const n of report.notes) out.push(`${plain(n.file, FIELD_LIMITS.path)}: note: ${plain(n.message)}`);
  const open = report.findings.filter((f) => !f.suppressed).length;
  const suppressed = report.findings.length - open;
  out.push(
    `${open} finding${open === 1 ? '' : 's'}${suppressed ? `, ${suppressed} suppressed` : ''}; ` +
      `${report.gating.length} at or above ${report.gate}; ${report.stats.files} files, ${report.stats.resources} resources, ${report.stats.ms} ms`,
  );
  return out.join('\n') + '\n';
};

/**
 * A message in the lines its rule wrote (a policy to add, as YAML, stays readable), each inert and indented under its
 * finding, so no line of it can pass for a finding's own; at most FIELD_LIMITS.text characters in all.
 */
function messageLines(message: string): string[] {
  // Masked before it is cut, as `plain` does: a secret cut first could slip past its pattern.
  return truncate(maskSecrets(String(message).slice(0, FIELD_LIMITS.text * 2 + 512)).trim(), FIELD_LIMITS.text)
    .split(/\r\n?|\n/)
    .map((line) => `  ${sanitize(line)}`.trimEnd());
}

/**
 * One applied fix as a line of plain text (`warden fix`, and Fix all's commit message): the file, the objects it
 * changed, what it did and for which rules.
 */
export function appliedLine(a: Applied): string {
  const where = a.resources.length > 0 ? ` (${a.resources.map((r) => plain(r, FIELD_LIMITS.path)).join(', ')})` : '';
  return `${a.created ? 'new ' : ''}${plain(a.file, FIELD_LIMITS.path)}${where}: ${plain(a.description)} (${plain(a.ruleIds.join(', '))})`;
}
