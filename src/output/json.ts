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
        // Against a base: whether it was there before (listed, not gating unless `gate_on: all`).
        ...(report.comparedWithBase ? { preExisting: f.preExisting === true } : {}),
      })),
      // Every proven fix once, combined per group: the edits of one file never overlap, so all can be applied.
      fixes: (report.fixes ?? []).flatMap((g) =>
        g.edit
          ? [
              {
                file: g.file,
                fingerprints: g.findings.map((f) => f.fingerprint),
                description: [...new Set(g.findings.map((f) => f.fix!.description))].join('; '),
                applicability: g.applicability,
                edits: [g.edit],
              },
            ]
          : [],
      ),
      // Notes (skipped Helm templates, …) are listed with the errors: each says what happened to a file.
      errors: [...report.errors, ...report.notes].map((e) => ({ file: e.file, message: e.message })),
      stats: report.stats,
    },
    null,
    2,
  ) + '\n';
