// What every renderer receives: the findings of one run and what they need to explain them.
import type { AnyRule } from '../engine/define-rule.js';
import type { FixGroup } from '../fixes.js';
import type { Finding, Note } from '../model.js';

export interface Report {
  findings: readonly Finding[];
  errors: readonly Note[];
  notes: readonly Note[];
  stats: { files: number; resources: number; ms: number };
  rules: readonly AnyRule[];
  /** File texts as scanned, for showing a fix as a patch. */
  texts: ReadonlyMap<string, string>;
  /** Findings at or above this severity gate (for summaries). */
  gate: string;
  gating: readonly Finding[];
  /** Planned fixes (src/fixes.ts): one proven edit per group of findings; the groups of a file never overlap. */
  fixes?: readonly FixGroup[];
  /** The findings were compared with a base (`warden diff`): each was there before or is the change's own. */
  comparedWithBase?: boolean;
  /** A file's path relative to the repository root, `/`-separated (SARIF's URIs); default: the path as given. */
  repositoryPath?: (file: string) => string;
}

export type Renderer = (report: Report) => string;

/** How a suppressed finding stands: a suppression the change itself wrote is said so, and whether it still gates. */
export function suppressedHow(finding: Finding, report: Pick<Report, 'gating'>): string {
  if (!finding.suppressed?.inPullRequest) return 'suppressed';
  return report.gating.includes(finding) ? 'suppressed in this change, still gating' : 'suppressed in this change';
}
