// The prove task: a file with a fix's edits applied, scanned alone with the review's rules and repository, to tell
// whether it parses and none of the findings the edits fix is left. Run in a worker beside the scan (the pool sends
// the job's config, rules and repository once per worker), or in this thread when the pool is off.
import { evaluate, PARSE_ERROR, type ScanOptions } from '../engine/run.js';
import { parseFile, type ParseOptions } from '../formats/index.js';
import { applyEdits } from '../common/edits.js';
import { fileCandidates, proofKey } from '../engine/fix-groups.js';
import type { Finding } from '../model.js';

/** One proof: the file's text after the edits, and the fingerprints that must be gone. */
export interface Proof {
  path: string;
  text: string;
  fingerprints: readonly string[];
  /**
   * The rules whose findings those are (a fingerprint names its rule): only they run, as no other rule can report
   * one of them. Absent: every rule of the options.
   */
  ruleIds?: readonly string[];
}

/**
 * Whether the text parses cleanly and has none of the fingerprints left among its open findings (suppressed
 * findings count as gone). The file is scanned whole and alone, as `scanFiles` would scan it.
 */
export async function proveText(proof: Proof, options: ScanOptions, parseOptions?: ParseOptions): Promise<boolean> {
  // Only fingerprints are compared: no positions are asked of the parse.
  const parsed = await parseFile(proof.path, proof.text, { ...parseOptions, positions: false }).catch(() => null);
  if (!parsed) return false;
  try {
    if (parsed.errors.length > 0) return false;
    const only = proof.ruleIds ? new Set(proof.ruleIds) : null;
    const rules = only ? options.rules.filter((rule) => only.has(rule.id)) : options.rules;
    const { findings } = evaluate([parsed], new Map([[proof.path, undefined]]), { ...options, rules, renderFixes: false, fingerprintsOnly: true });
    const remaining = new Set(findings.filter((f) => !f.suppressed && f.ruleId !== PARSE_ERROR).map((f) => f.fingerprint));
    return proof.fingerprints.every((fp) => !remaining.has(fp));
  } finally {
    parsed.release?.();
  }
}

/**
 * The proof planning would ask of a file (all its candidate edits together, src/fixes.ts), made by the worker that
 * just evaluated the file, and set on the first finding it covers: planning then proves only what differs.
 * Nothing is set when the file has no candidate edit.
 */
export async function proveFileFixes(path: string, text: string, findings: readonly Finding[], options: ScanOptions, parseOptions?: ParseOptions): Promise<void> {
  const candidates = fileCandidates(findings);
  if (!candidates || candidates.length === 0) return;
  const edits = candidates.map((c) => c.edit);
  const members = candidates.flatMap((c) => c.findings);
  const fingerprints = members.map((f) => f.fingerprint);
  const applied = applyEdits(text, edits);
  const ruleIds = [...new Set(members.map((f) => f.ruleId))];
  const proven = applied !== text && (await proveText({ path, text: applied, fingerprints, ruleIds }, options, parseOptions));
  members[0]!.fix!.proof = { key: proofKey(edits, fingerprints), proven };
}
