// `--format text`: readable in a terminal, with each suggested patch.
import type { Renderer } from './report.js';
import { editAsDiff } from './patch.js';

export const renderText: Renderer = (report) => {
  const out: string[] = [];
  // Findings that share a combined fix show it once, under the first of them.
  const shown = new Set<object>();
  for (const f of report.findings) {
    const flags = [f.suppressed ? `suppressed: ${f.suppressed.reason || 'no reason given'}` : '', f.preExisting ? 'pre-existing' : ''].filter(Boolean);
    out.push(`${f.file}:${f.line}  ${f.severity.toUpperCase()}  ${f.ruleId}  ${f.resource}${flags.length ? `  (${flags.join(', ')})` : ''}`);
    out.push(`  ${f.message}`);
    if (f.fix && f.fix.edits.length > 0 && f.fix.edits.every((e) => shown.has(e))) {
      out.push(`  fix (${f.fix.applicability}): ${f.fix.description} (in the combined change shown above)`);
    } else if (f.fix && f.fix.edits.length > 0) {
      for (const edit of f.fix.edits) shown.add(edit);
      out.push(`  fix (${f.fix.applicability}): ${f.fix.description}`);
      const text = report.texts.get(f.file);
      for (const edit of f.fix.edits) {
        if (text !== undefined) out.push(...editAsDiff(text, edit).split('\n').map((l) => `    ${l}`));
      }
    } else if (f.fix) {
      out.push(`  fix (by hand): ${f.fix.description}`);
    }
    out.push('');
  }
  for (const e of report.errors) out.push(`${e.file}: error: ${e.message}`);
  for (const n of report.notes) out.push(`${n.file}: note: ${n.message}`);
  const open = report.findings.filter((f) => !f.suppressed).length;
  const suppressed = report.findings.length - open;
  out.push(
    `${open} finding${open === 1 ? '' : 's'}${suppressed ? `, ${suppressed} suppressed` : ''}; ` +
      `${report.gating.length} at or above ${report.gate}; ${report.stats.files} files, ${report.stats.resources} resources, ${report.stats.ms} ms`,
  );
  return out.join('\n') + '\n';
};
