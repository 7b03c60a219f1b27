// The prove task: a file with a fix's edits applied, scanned alone with the review's rules and repository, to tell
// whether it parses and none of the findings the edits fix is left. Run in a worker beside the scan (the pool sends
// the job's config, rules and repository once per worker), or in this thread when the pool is off.
import { evaluate, type ScanOptions } from '../engine/run.js';
import { PARSE_ERROR } from '../engine/meta-findings.js';
import { parseFile, type ParseOptions } from '../formats/index.js';
import { applyEdits } from '../common/edits.js';
import { fileCandidates, proofKey } from '../engine/fix-groups.js';
import type { Edit, Finding } from '../model.js';

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
export async function proveFileFixes(
  path: string,
  text: string,
  findings: readonly Finding[],
  options: ScanOptions,
  /** How to parse the edited text, given the lines it must parse whatever their kind (null: every line). */
  parseOptionsFor: (keeps: ((firstLine: number, lastLine: number) => boolean) | null) => ParseOptions,
): Promise<void> {
  const candidates = fileCandidates(findings);
  if (!candidates || candidates.length === 0) return;
  const edits = candidates.map((c) => c.edit);
  const members = candidates.flatMap((c) => c.findings);
  const fingerprints = members.map((f) => f.fingerprint);
  const applied = applyEdits(text, edits);
  const ruleIds = [...new Set(members.map((f) => f.ruleId))];
  const parseOptions = parseOptionsFor(keptLines(edits, members));
  const proven = applied !== text && (await proveText({ path, text: applied, fingerprints, ruleIds }, options, parseOptions));
  members[0]!.fix!.proof = { key: proofKey(edits, fingerprints), proven };
}

/**
 * The lines of the edited text its proof must parse whatever their kind: what the edits wrote, and each finding's
 * resource, moved along by the edits above it. Null when a finding has no lines of its own in the file (composed
 * or rendered): then every document is parsed.
 */
export function keptLines(edits: readonly Edit[], findings: readonly Finding[]): ((firstLine: number, lastLine: number) => boolean) | null {
  if (findings.some((f) => !f.resourceRange)) return null;
  const ranges: [number, number][] = [];
  const after: { endLine: number; delta: number }[] = [];
  let delta = 0;
  for (const edit of [...edits].sort((a, b) => a.startLine - b.startLine)) {
    const written = edit.replacement.split('\n').length;
    ranges.push([edit.startLine + delta, edit.startLine + delta + written - 1]);
    delta += written - (edit.endLine - edit.startLine + 1);
    after.push({ endLine: edit.endLine, delta });
  }
  // A line below an edit moves by what the edits above it added or removed.
  const moved = (line: number) => line + (after.filter((a) => a.endLine < line).at(-1)?.delta ?? 0);
  for (const { resourceRange } of findings) ranges.push([moved(resourceRange!.startLine), moved(resourceRange!.endLine)]);
  return (first, last) => ranges.some(([from, to]) => from <= last && first <= to);
}
