// `--format markdown`: the report as Markdown (for a CI job summary or a comment), from templates/report.md.
import { SEVERITIES, type Finding } from '../model.js';
import type { Renderer } from './report.js';
import { cell, render } from './template.js';

function table(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const rows = findings.map((f) => `| \`${cell(f.file)}:${f.line}\` | ${f.severity} | \`${f.ruleId}\` | ${cell(f.message)} |`);
  return ['| Where | Severity | Rule | Finding |', '|---|---|---|---|', ...rows].join('\n');
}

export const renderMarkdown: Renderer = (report) => {
  const open = report.findings.filter((f) => !f.suppressed && !f.preExisting);
  const preExisting = report.findings.filter((f) => !f.suppressed && f.preExisting);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => `${open.filter((f) => f.severity === s).length} ${s}`)
    .join(' · ');
  const sections = [
    table(open),
    preExisting.length ? `### Pre-existing (not gating)\n\n${table(preExisting)}` : '',
    suppressed.length
      ? `### Suppressed\n\n${suppressed.map((f) => `- \`${f.file}:${f.line}\` \`${f.ruleId}\`: ${f.suppressed!.reason || '_no reason given_'}`).join('\n')}`
      : '',
  ].filter(Boolean);
  const notes = [...report.errors, ...report.notes].map((n) => `- \`${n.file}\`: ${n.message}`).join('\n');
  return render('report.md', {
    headline: report.gating.length > 0 ? `${report.gating.length} finding(s) at or above ${report.gate}` : 'nothing at or above the gate',
    counts: `${counts} (${report.stats.files} files, ${report.stats.resources} resources)`,
    findings: sections.join('\n\n'),
    notes: notes ? `\n### Notes\n\n${notes}\n` : '',
  }).replace(/\n{3,}/g, '\n\n');
};
