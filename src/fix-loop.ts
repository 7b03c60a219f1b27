// The fix loop shared by `warden fix` and the App's Fix all: rounds on the files' text in memory. Each round reviews
// (as the caller does), plans the proven edits of the open findings it may fix (src/fixes.ts: safe ones, unsafe too
// when asked) and the proven companions (src/companions.ts), applies a file's edits together and keeps the file only
// if it still parses; it stops when a round changes nothing. Nothing is written here.
import { formatPatch, structuredPatch } from 'diff';
import { planCompanions, type Companion } from './companions.js';
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import type { RepositoryIndex } from './engine/repository.js';
import { startPaced } from './common/pace.js';
import { resourcesPooled } from './worker/pooled.js';
import { applyEdits, planFixes, type FixContext, type FixGroup } from './fixes.js';
import type { ReviewResult } from './review.js';
import type { Edit, Finding } from './model.js';

/** Rounds before giving up: a fix that enables another is found in the next round; more than this is a loop. */
export const MAX_ROUNDS = 5;

export interface FixLoopOptions {
  config: Config;
  rules: readonly AnyRule[];
  /** Apply unsafe fixes too. */
  unsafe: boolean;
  /** Review these texts as the caller does (the command line: whole files; the App: the pull request's changes). */
  review(texts: ReadonlyMap<string, string>): Promise<{ result: ReviewResult; repository: RepositoryIndex }>;
  /** Whether a path exists outside `texts` (a companion never replaces a file). */
  exists(file: string): boolean;
  /** Which findings to fix (default: every open one). */
  only?: (finding: Finding) => boolean;
}

export interface Applied {
  file: string;
  /** The objects the fix changed (a file's groups of fixes may read alike, one per object); none for a new file. */
  resources: string[];
  description: string;
  ruleIds: string[];
  created: boolean;
}

export interface FixRun {
  /** The files' text before and after, by path as given; `before` null for a new file. */
  changes: { file: string; before: string | null; after: string }[];
  applied: Applied[];
  /**
   * Files whose proven edits were left out because the file would not parse with them together, once each: a file
   * refused in one round and fixed in a later one is not among them.
   */
  refused: { file: string; reason: string }[];
  /** The review of the final text. */
  result: ReviewResult;
  rounds: number;
}

/** A file's change since base as a unified patch (what a review treats as changed), as `warden diff` reads it. */
export function changePatch(base: string, head: string): string {
  return formatPatch(structuredPatch('', '', base, head, '', '', { context: 3 }));
}

function byFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(item.file, [...(out.get(item.file) ?? []), item]);
  return out;
}

/**
 * The groups `warden fix` applies: planned from the open findings whose fixes it may apply (safe ones, or all with
 * --unsafe), so a safe fix is not held back by an unsafe one on the same lines; each with a proven edit.
 */
export async function applicableGroups(findings: readonly Finding[], texts: ReadonlyMap<string, string>, unsafe: boolean, context: FixContext): Promise<(FixGroup & { edit: Edit })[]> {
  const wanted = findings.filter((f) => !f.suppressed && f.fix !== null && (f.fix.applicability === 'safe' || (unsafe && f.fix.applicability === 'unsafe')));
  const groups = await planFixes(wanted, texts, context);
  return groups.filter((g): g is FixGroup & { edit: Edit } => g.edit !== null);
}

/** Whether a text parses cleanly (in the worker pool). */
async function parses(path: string, text: string): Promise<boolean> {
  const parsed = await resourcesPooled(path, text, NO_KINDS);
  return parsed !== null && parsed.errors === 0;
}
const NO_KINDS: ReadonlySet<string> = new Set();

/** Apply rounds of proven fixes to `texts` (by path); returns what changed and the final review. */
export async function fixTexts(initial: ReadonlyMap<string, string>, options: FixLoopOptions): Promise<FixRun> {
  const texts = new Map(initial);
  const applied: Applied[] = [];
  // By file: every round tries a refused file's fixes again (other files' fixes may change them).
  const refused = new Map<string, string>();
  let { result, repository } = await options.review(texts);
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const context = { config: options.config, rules: options.rules, repository };
    const wanted = result.findings.filter((f) => !f.suppressed && (options.only?.(f) ?? true));
    const groups = await applicableGroups(wanted, texts, options.unsafe, context);
    const fixed = new Set(groups.flatMap((g) => g.findings.map((f) => f.fingerprint)));
    const open = wanted.filter((f) => !fixed.has(f.fingerprint));
    const exists = (file: string) => texts.has(file) || options.exists(file);
    const companions: Companion[] = await planCompanions(open, texts, exists, context);
    let changed = false;
    // Each file with its fixes, and each new companion, must parse: parsed in the worker pool, all at once.
    const edited = [...byFile(groups)].flatMap(([file, fileGroups]) => {
      const before = texts.get(file);
      const after = before === undefined ? before : applyEdits(before, fileGroups.map((g) => g.edit));
      return after === undefined || after === before ? [] : [{ file, fileGroups, after }];
    });
    const created = companions.filter((c) => !texts.has(c.file));
    const parse = await startPaced([...edited.map((e) => ({ path: e.file, text: e.after })), ...created.map((c) => ({ path: c.file, text: c.text }))], ({ path, text }) => parses(path, text));
    edited.forEach(({ file, fileGroups, after }, i) => {
      if (!parse[i]) {
        refused.set(file, 'its fixes together would leave it unparseable: left unchanged');
        return;
      }
      refused.delete(file);
      texts.set(file, after);
      changed = true;
      for (const g of fileGroups) {
        const description = [...new Set(g.findings.flatMap((f) => (f.fix ? [f.fix.description] : [])))].join('; ');
        applied.push({ file, resources: [...new Set(g.findings.map((f) => f.resource))], description, ruleIds: [...new Set(g.findings.map((f) => f.ruleId))], created: false });
      }
    });
    created.forEach((companion, i) => {
      if (!parse[edited.length + i]) return;
      texts.set(companion.file, companion.text);
      changed = true;
      applied.push({ file: companion.file, resources: [], description: companion.description, ruleIds: [...new Set(companion.findings.map((f) => f.ruleId))], created: true });
    });
    if (!changed) break;
    rounds++;
    ({ result, repository } = await options.review(texts));
  }
  const changes = [...texts].filter(([file, text]) => initial.get(file) !== text).map(([file, after]) => ({ file, before: initial.get(file) ?? null, after }));
  return { changes, applied, refused: [...refused].map(([file, reason]) => ({ file, reason })), result, rounds };
}
