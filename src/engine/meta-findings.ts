// Warden's own findings (`warden/*`): about a file or a line of it rather than a resource (a parse error, a part not
// reviewed, a suppression the policy speaks of), and the fingerprint every finding is known by across runs.
import { hash } from 'node:crypto';
import type { Config } from '../config.js';
import { SEVERITIES, severityRank, type Finding, type Path, type Severity } from '../model.js';
import { pathKey } from './path.js';
import type { Suppressions } from './suppressions.js';

export const PARSE_ERROR = 'warden/parse-error';
export const SUPPRESSION_WITHOUT_REASON = 'warden/suppression-without-reason';
export const SUPPRESSION_EXPIRED = 'warden/suppression-expired';
export const SUPPRESSION_IN_PULL_REQUEST = 'warden/suppression-in-pull-request';
export const NOT_REVIEWED = 'warden/not-reviewed';

/** Longest reason a not-reviewed finding carries (reasons may quote the file). */
const MAX_REASON = 500;

/** What a finding is known by across runs: its rule, file, resource and path in it (not its line, which moves with edits above). */
export function fingerprint(ruleId: string, file: string, resource: string, path: Path): string {
  return hash('sha256', [ruleId, file, resource, pathKey(path)].join('\0')).slice(0, 32);
}

/** The severity one of Warden's own findings (`warden/*`) is reported at under this config, or null when it is off. */
export function metaSeverity(config: Pick<Config, 'rules'>, id: string, fallback: Severity): Severity | null {
  const override = config.rules[id];
  return override === 'off' ? null : (override ?? fallback);
}

/** A finding about a file or a line of it rather than a resource (Warden's own `warden/*` findings). */
export function metaFinding(ruleId: string, severity: Severity, file: string, line: number, message: string, title: string): Finding {
  return {
    ruleId,
    severity,
    title,
    message,
    file,
    line,
    endLine: line,
    resource: file,
    path: [],
    fingerprint: fingerprint(ruleId, file, file, [line]),
    fix: null,
    suppressed: null,
  };
}

/**
 * The finding for a changed file Warden could not review. At the gate's severity (`unreviewable: fail`), or one
 * below it (`unreviewable: warn`, where it never gates); never suppressible, never pre-existing. With `partLine`,
 * only what that line adds was not reviewed (a kustomization's entry for a base that is not there): the finding
 * is there, and says the rest was checked.
 */
export function notReviewedFinding(file: string, reason: string, config: Pick<Config, 'gate' | 'unreviewable'>, partLine?: number): Finding {
  const severity = config.unreviewable === 'warn' ? SEVERITIES[Math.max(0, severityRank(config.gate) - 1)]! : config.gate;
  const why = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
  const message =
    (partLine === undefined ? `Warden could not review this file, so nothing in it was checked: ${why}.` : `Warden could not review all that this file deploys, only the rest of it: ${why}.`) +
    (config.unreviewable === 'warn'
      ? ' Listed only (`unreviewable: warn`).'
      : partLine === undefined
        ? ' The check fails until it can be reviewed.'
        : ' The check fails until it can be reviewed, or a `warden:ignore warden/not-reviewed` with a reason above this line acknowledges it.');
  // A part is known by what was not reviewed (its reason names it), not by its line, which moves with the edits above.
  return { ...metaFinding(NOT_REVIEWED, severity, file, partLine ?? 1, message, 'File not reviewed'), fingerprint: fingerprint(NOT_REVIEWED, file, file, partLine === undefined ? [] : [why]) };
}

/** How a part not reviewed at `line` is acknowledged: a `warden:ignore warden/not-reviewed` above it, or none. */
export function partAcknowledged(suppressions: Suppressions, line: number): Finding['suppressed'] {
  const found = suppressions.above(line, NOT_REVIEWED);
  return found ? { reason: found.reason, line: found.line } : null;
}
