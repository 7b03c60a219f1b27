// The prove task: a file with a fix's edits applied, scanned alone with the review's rules and repository, to tell
// whether it parses and none of the findings the edits fix is left. Run in a worker beside the scan (the pool sends
// the job's config, rules and repository once per worker), or in this thread when the pool is off.
import { evaluate, PARSE_ERROR, type ScanOptions } from '../engine/run.js';
import { parseFile, type ParseOptions } from '../formats/index.js';

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
  const parsed = await parseFile(proof.path, proof.text, parseOptions).catch(() => null);
  if (!parsed) return false;
  try {
    if (parsed.errors.length > 0) return false;
    const only = proof.ruleIds ? new Set(proof.ruleIds) : null;
    const rules = only ? options.rules.filter((rule) => only.has(rule.id)) : options.rules;
    const { findings } = evaluate([parsed], new Map([[proof.path, undefined]]), { ...options, rules, renderFixes: false });
    const remaining = new Set(findings.filter((f) => !f.suppressed && f.ruleId !== PARSE_ERROR).map((f) => f.fingerprint));
    return proof.fingerprints.every((fp) => !remaining.has(fp));
  } finally {
    parsed.release?.();
  }
}
