// `warden fix`: every proven fix of what `warden scan` reports, applied to the working tree. Rounds work on the
// files' text in memory: review with fixes planned (src/fixes.ts), take each proven safe group edit (unsafe ones
// too with --unsafe) and each proven companion (src/companions.ts), apply a file's edits together, keep the file
// only if it still parses, and review again until a round changes nothing. Then write, or with --dry-run print
// the whole change as one unified diff for `git apply`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { planCompanions, type Companion } from './companions.js';
import type { Config } from './config.js';
import { buildRepositoryIndex } from './engine/repository-index.js';
import type { RepositoryIndex, RepositoryReader } from './engine/repository.js';
import { parseFile } from './formats/index.js';
import { applyEdits, planFixes, type FixContext, type FixGroup } from './fixes.js';
import { isGating, review, type ReviewResult } from './review.js';
import type { Edit, Finding } from './model.js';
import { RULES } from '../rules/index.js';

/** Rounds before giving up: a fix that enables another is found in the next round; more than this is a loop. */
export const MAX_ROUNDS = 5;

export interface FixRunOptions {
  config: Config;
  unsafe: boolean;
  /** The repository root cross-resource rules read, and the root of the paths in the patch. */
  root: string;
  /** Where the files' paths are relative to (the current directory). */
  pathsFrom: string;
  /** A repository reader of the working tree at `root`. */
  reader: RepositoryReader;
}

export interface Applied {
  file: string;
  description: string;
  ruleIds: string[];
  created: boolean;
}

export interface FixRun {
  /** The files' text before and after, by path as given; `before` null for a new file. */
  changes: { file: string; before: string | null; after: string }[];
  applied: Applied[];
  /** Edits that were proven but left out because their file would not parse with them together. */
  refused: { file: string; reason: string }[];
  /** The review of the final text. */
  result: ReviewResult;
  rounds: number;
}

/** The working tree as the repository index reads it, with this run's new and edited files laid over it. */
function overlay(reader: RepositoryReader, root: string, pathsFrom: string, texts: ReadonlyMap<string, string>): RepositoryReader {
  const byRootPath = new Map([...texts].map(([file, text]) => [relative(root, resolve(pathsFrom, file)).split(sep).join('/'), text]));
  return {
    paths: async () => [...new Set([...(await reader.paths()), ...byRootPath.keys()])],
    read: async (path) => byRootPath.get(path) ?? reader.read(path),
  };
}

async function reviewTexts(texts: ReadonlyMap<string, string>, options: FixRunOptions): Promise<{ result: ReviewResult; repository: RepositoryIndex }> {
  const repository = await buildRepositoryIndex(overlay(options.reader, options.root, options.pathsFrom, texts), options.config);
  const files = [...texts].map(([path, headText]) => ({ path, headText }));
  return { result: await review({ files, config: options.config, selected: true, rules: RULES, repository }), repository };
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

async function parses(path: string, text: string): Promise<boolean> {
  const parsed = await parseFile(path, text);
  return parsed !== null && parsed.errors.length === 0;
}

/** Apply rounds of proven fixes to `texts` (paths as given, relative to `pathsFrom`). Nothing is written here. */
export async function fixTexts(initial: ReadonlyMap<string, string>, options: FixRunOptions): Promise<FixRun> {
  const texts = new Map(initial);
  const applied: Applied[] = [];
  const refused: FixRun['refused'] = [];
  let { result, repository } = await reviewTexts(texts, options);
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const context = { config: options.config, rules: RULES, repository };
    const groups = await applicableGroups(result.findings, texts, options.unsafe, context);
    const fixed = new Set(groups.flatMap((g) => g.findings.map((f) => f.fingerprint)));
    const open = result.findings.filter((f) => !f.suppressed && !fixed.has(f.fingerprint));
    const exists = (file: string) => texts.has(file) || existsSync(resolve(options.pathsFrom, file));
    const companions: Companion[] = await planCompanions(open, texts, exists, context);
    let changed = false;
    for (const [file, fileGroups] of byFile(groups)) {
      const before = texts.get(file);
      if (before === undefined) continue;
      const after = applyEdits(before, fileGroups.map((g) => g.edit));
      if (after === before) continue;
      if (!(await parses(file, after))) {
        refused.push({ file, reason: 'its fixes together would leave it unparseable: left unchanged' });
        continue;
      }
      texts.set(file, after);
      changed = true;
      for (const g of fileGroups) applied.push({ file, description: [...new Set(g.findings.flatMap((f) => (f.fix ? [f.fix.description] : [])))].join('; '), ruleIds: [...new Set(g.findings.map((f) => f.ruleId))], created: false });
    }
    for (const companion of companions) {
      if (texts.has(companion.file) || !(await parses(companion.file, companion.text))) continue;
      texts.set(companion.file, companion.text);
      changed = true;
      applied.push({ file: companion.file, description: companion.description, ruleIds: [...new Set(companion.findings.map((f) => f.ruleId))], created: true });
    }
    if (!changed) break;
    rounds++;
    ({ result, repository } = await reviewTexts(texts, options));
  }
  const changes = [...texts].filter(([file, text]) => initial.get(file) !== text).map(([file, after]) => ({ file, before: initial.get(file) ?? null, after }));
  return { changes, applied, refused, result, rounds };
}

/** The run's change as one unified diff, paths relative to the repository root (`git apply` from there). */
export function unifiedDiff(run: Pick<FixRun, 'changes'>, rootPath: (file: string) => string): string {
  return run.changes
    .map(({ file, before, after }) => {
      const path = rootPath(file);
      const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, { context: 3 });
      // `git apply` reads the ---/+++ headers; jsdiff's leading `Index:`/`===` lines are for humans.
      const body = patch.split('\n').filter((line, i) => !(i < 2 && (line.startsWith('Index:') || line.startsWith('===')))).join('\n');
      return `diff --git a/${path} b/${path}\n${before === null ? 'new file mode 100644\n' : ''}${body}`;
    })
    .join('');
}

function describeLeft(finding: Finding, unsafe: boolean): string {
  const why = finding.fix?.applicability === 'unsafe' && !unsafe ? 'unsafe fix: apply it yourself, or run with --unsafe' : finding.fix && finding.fix.applicability !== 'display' ? 'its fix could not be proven' : 'no automatic fix';
  return `  ${finding.file}:${finding.line} ${finding.ruleId} (${finding.severity}): ${finding.message.split('\n')[0]} [${why}]`;
}

/** What the run changed and what is left, as `warden fix` prints it. */
export function fixSummary(run: FixRun, unsafe: boolean, dryRun: boolean): string {
  const lines: string[] = [];
  const verb = dryRun ? 'Would change' : 'Changed';
  if (run.applied.length === 0) lines.push('Nothing to fix automatically.');
  else {
    lines.push(`${verb} ${run.changes.length} file${run.changes.length === 1 ? '' : 's'}:`);
    for (const a of run.applied) lines.push(`  ${a.created ? 'new ' : ''}${a.file}: ${a.description} (${a.ruleIds.join(', ')})`);
  }
  for (const r of run.refused) lines.push(`  not changed: ${r.file}: ${r.reason}`);
  const left = run.result.findings.filter((f) => !f.suppressed);
  lines.push(left.length === 0 ? 'Nothing left.' : `Left for you (${left.length}):`);
  for (const f of left) lines.push(describeLeft(f, unsafe));
  for (const e of run.result.errors) lines.push(`  ${e.file}: ${e.message}`);
  return `${lines.join('\n')}\n`;
}

/** Write the run's files (new folders included). */
export async function writeChanges(run: FixRun, pathsFrom: string): Promise<void> {
  for (const { file, after } of run.changes) {
    const path = resolve(pathsFrom, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, after);
  }
}

/** Exit code as `warden scan`: 1 when a finding left is at or above the gate. */
export function exitCode(run: FixRun, config: Config): number {
  return run.result.findings.some((f) => isGating(f, config)) ? 1 : 0;
}
