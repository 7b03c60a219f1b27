// `--format markdown`: the report as Markdown (for a CI job summary or a comment), from templates/report.md.
// Every name, path, message and reason goes through the escaping layer (src/output/inert.ts), as in the App.
import { SEVERITIES, type Finding } from '../model.js';
import { suppressedHow, type Renderer } from './report.js';
import { render } from './template.js';
import { code, FIELD_LIMITS, message, plain, text, trusted } from './inert.js';

function row(f: Finding) {
  return {
    location: code(`${plain(f.file, FIELD_LIMITS.path)}:${f.line}`, FIELD_LIMITS.path + 12),
    severity: f.severity,
    rule: code(f.ruleId),
    message: message(f.message),
    reason: f.suppressed?.reason ? text(f.suppressed.reason) : trusted('_no reason given_'),
  };
}

export const renderMarkdown: Renderer = (report) => {
  const open = report.findings.filter((f) => !f.suppressed && !f.preExisting);
  const preExisting = report.findings.filter((f) => !f.suppressed && f.preExisting);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => `${open.filter((f) => f.severity === s).length} ${s}`)
    .join(' · ');
  const notes = [...report.errors, ...report.notes].map((n) => ({ path: code(n.file, FIELD_LIMITS.path), message: message(n.message) }));
  return (
    render('report.md', {
      headline: report.gating.length > 0 ? `${report.gating.length} finding(s) at or above ${report.gate}` : 'nothing at or above the gate',
      counts: `${counts} (${report.stats.files} files, ${report.stats.resources} resources)`,
      hasOpen: open.length > 0,
      open: open.map(row),
      hasPreExisting: preExisting.length > 0,
      preExisting: preExisting.map(row),
      hasSuppressed: suppressed.length > 0,
      // A suppression the change wrote is marked, and one that still gates (the policy denies them) says so.
      suppressed: suppressed.map((f) => ({ ...row(f), how: f.suppressed?.inPullRequest ? suppressedHow(f, report) : '' })),
      hasNotes: notes.length > 0,
      notes,
    })
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
};
