// `--format json`: exactly the contract of DESIGN.md.
import type { Renderer } from './report.js';

export const renderJson: Renderer = (report) =>
  JSON.stringify(
    {
      findings: report.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        file: f.file,
        line: f.line,
        endLine: f.endLine,
        resource: f.resource,
        fingerprint: f.fingerprint,
        fix: f.fix ? { description: f.fix.description, edits: f.fix.edits } : null,
        suppressed: f.suppressed,
      })),
      // Notes (skipped Helm templates, …) are listed with the errors: each says what happened to a file.
      errors: [...report.errors, ...report.notes].map((e) => ({ file: e.file, message: e.message })),
      stats: report.stats,
    },
    null,
    2,
  ) + '\n';
