// The shared harness of the KICS parts of `npm run corpus`. A part names the corpus entries it reads, the
// Warden rules that answer each KICS query it follows (with the reasons for any deliberate difference), and
// the queries it does not follow (with why). As KICS does (test/main_test.go), all positive files of a
// query are scanned together and must give a finding at each expected line; all negative files together
// must give no finding of the mapped rules. The corpus is read at run time, never copied.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import type { AnyRule } from '../../src/engine/define-rule.js';
import { scanFiles } from '../../src/engine/run.js';
import { isRecord, startsWith } from '../../src/engine/path.js';
import type { Finding, Path, Range, Resource } from '../../src/model.js';

export interface KicsEntry {
  path: string;
  source: string;
  platform: 'k8s' | 'terraform';
  provider?: string | null;
  expect: 'flag' | 'pass';
  /** Expected lines: a multiset, one per expected KICS result. */
  lines: number[];
  kics_query: string;
}

/** A KICS query Warden follows: the rules that answer it. */
export interface Followed {
  rules: readonly string[];
  /** Where one rule answers several queries: the findings (by message) that answer this one. */
  only?: RegExp;
}

/** Why a followed query's answers differ, when that is deliberate: per side, so the other side still fails. */
export interface Reasons {
  /** Why some expected positive lines get no Warden finding. */
  positives?: string;
  /** Why some negative files get a Warden finding. */
  negatives?: string;
}

export interface KicsPart {
  title: string;
  /** The corpus entries of this part. */
  select(entry: KicsEntry): boolean;
  /** The name a query is shown and looked up under (`k8s/<query>`, `tf/<query>`, `aws/<query>`). */
  key(entry: KicsEntry): string;
  /** KICS query → the Warden rules that answer it. Keys: the shown name, or the bare query for every platform. */
  followed: Readonly<Record<string, Followed>>;
  /** Deliberate differences on followed queries, with why (same keys). */
  reasons: Readonly<Record<string, Reasons>>;
  /** KICS queries Warden deliberately does not follow, and why (same keys). */
  notFollowed: Readonly<Record<string, string>>;
  rules: readonly AnyRule[];
}

const MATCHING =
  'a finding of a mapped rule answers an expected KICS line when both sit on one chain of the same resource: the node that starts ' +
  'on the KICS line (a `name` line standing for what it names, as in KICS search keys) holds the finding\'s path, or the object ' +
  'whose setting Warden reports (the nearest existing parent of a missing setting; for a securityContext setting, the pod spec or ' +
  'container it applies to; never the whole resource) holds the KICS line\'s node. A line KICS names n times (once per offending item) needs n findings.';

// ---- where a line sits in a resource ----

interface Located {
  path: Path;
  range: Range;
}

/** Every existing node of a resource body with its line range (the formats locate nodes by path). */
function nodesOf(resource: Resource): Located[] {
  const out: Located[] = [];
  const visit = (value: unknown, path: Path): void => {
    const found = resource.source.locate(path);
    if (found.exact || path.length === 0) out.push({ path, range: path.length === 0 ? resource.range : found });
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(resource.body, []);
  return out;
}

const contains = (outer: Range, inner: Range) => outer.startLine <= inner.startLine && inner.endLine <= outer.endLine;
const span = (r: Range) => r.endLine - r.startLine;

/**
 * The node a KICS line names: the outermost node starting on it, else the innermost node holding it. KICS
 * addresses a resource as `metadata.name={{…}}` and a list item as `<list>.name={{…}}`, so a `name` line
 * stands for what it names.
 */
function nodeAt(nodes: readonly Located[], line: number): Located | undefined {
  const starting = nodes.filter((n) => n.range.startLine === line);
  const holding = nodes.filter((n) => n.range.startLine <= line && line <= n.range.endLine);
  const node =
    starting.length > 0
      ? starting.reduce((a, b) => (b.path.length < a.path.length ? b : a))
      : holding.reduce<Located | undefined>((a, b) => (!a || span(b.range) < span(a.range) ? b : a), undefined);
  if (!node || node.path.at(-1) !== 'name') return node;
  const owner = node.path.length === 2 && node.path[0] === 'metadata' ? [] : node.path.slice(0, -1);
  return nodes.find((n) => n.path.length === owner.length && startsWith(n.path, owner)) ?? node;
}

/**
 * The object whose setting a finding is about: the nearest existing parent of its path, and for a setting in a
 * `securityContext`, the pod spec or container holding that block (pod-level settings apply to every container).
 */
function ownerOf(nodes: readonly Located[], finding: Finding): Located | undefined {
  const existing = nodes.filter((n) => startsWith(finding.path, n.path));
  const nearest = existing.reduce<Located | undefined>((a, b) => (!a || b.path.length > a.path.length ? b : a), undefined);
  if (!nearest || nearest.path.at(-1) !== 'securityContext') return nearest;
  return existing.find((n) => n.path.length === nearest.path.length - 1) ?? nearest;
}

/**
 * Whether the KICS node holds the finding's path, or the finding's owner holds the KICS node. A setting the
 * resource itself lacks (owner: the whole resource) answers only a line naming the resource, else any line
 * of the resource would do.
 */
function sameChain(kics: Located, finding: Finding, owner: Located): boolean {
  if (startsWith(finding.path, kics.path)) return true;
  return owner.path.length > 0 && startsWith(kics.path, owner.path) && contains(owner.range, kics.range);
}

/**
 * KICS repeats a line once per offending item (say, per container at `spec`): a line named n times needs n
 * findings on its chain. One finding may answer several lines (a pod-level finding answers each container).
 */
function unmatchedLines(lines: readonly number[], onChain: (line: number) => number): number[] {
  const lost: number[] = [];
  for (const line of new Set(lines)) {
    const missing = lines.filter((l) => l === line).length - onChain(line);
    for (let i = 0; i < missing; i++) lost.push(line);
  }
  return lost;
}

// ---- running a part ----

interface Row {
  key: string;
  rules: readonly string[];
  posFiles: number;
  posFilesMatched: number;
  lines: number;
  linesMatched: number;
  neg: number;
  negClean: number;
  missed: string[];
  flagged: string[];
  status: 'agrees' | 'explained' | 'DIFFERS';
}

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);

async function scanQuery(root: string, entries: readonly KicsEntry[], rules: readonly AnyRule[], follow: Followed) {
  const files = entries.map((e) => ({ path: e.path, text: readFileSync(join(root, e.path), 'utf8') }));
  // The query's files are the whole repository, as for KICS: cross-resource rules may read all of them.
  const result = await scanFiles(files, { config: resolveConfig({}), rules, repository: { resources: [], complete: true }, renderFixes: false });
  const findings = result.findings.filter((f) => follow.rules.includes(f.ruleId) && !f.suppressed && (!follow.only || follow.only.test(f.message)));
  return { findings, resources: result.parsed.flatMap((p) => p.resources) };
}

async function runQuery(root: string, key: string, entries: readonly KicsEntry[], follow: Followed, why: Reasons, all: readonly AnyRule[]): Promise<Row> {
  const rules = all.filter((r) => follow.rules.includes(r.id));
  const missing = follow.rules.filter((id) => !rules.some((r) => r.id === id));
  if (missing.length > 0) throw new Error(`${key}: no rule ${missing.join(', ')} in the rule list`);
  const positives = entries.filter((e) => e.expect === 'flag');
  const negatives = entries.filter((e) => e.expect === 'pass');
  const row: Row = { key, rules: follow.rules, posFiles: positives.length, posFilesMatched: 0, lines: 0, linesMatched: 0, neg: negatives.length, negClean: 0, missed: [], flagged: [], status: 'agrees' };

  if (positives.length > 0) {
    const { findings, resources } = await scanQuery(root, positives, rules, follow);
    const nodeCache = new Map<Resource, Located[]>();
    const nodes = (r: Resource) => nodeCache.get(r) ?? nodeCache.set(r, nodesOf(r)).get(r)!;
    for (const entry of positives) {
      const own = findings.filter((f) => f.file === entry.path);
      const inFile = resources.filter((r) => r.file === entry.path);
      // Each finding: its resource and the node it is reported at.
      const placed = own.map((f) => {
        const resource = inFile.find((r) => r.id === f.resource && r.range.startLine <= f.line && f.line <= r.range.endLine);
        const at = resource && ownerOf(nodes(resource), f);
        return { finding: f, resource, at };
      });
      // A registry module block stands for several resources on the same lines: the line is read in each of them.
      const lost = unmatchedLines(entry.lines, (line) =>
        inFile
          .filter((r) => r.range.startLine <= line && line <= r.range.endLine)
          .reduce((n, resource) => {
            const kics = nodeAt(nodes(resource), line);
            return n + placed.filter((p) => kics && p.resource === resource && p.at && sameChain(kics, p.finding, p.at)).length;
          }, 0),
      );
      row.lines += entry.lines.length;
      row.linesMatched += entry.lines.length - lost.length;
      if (lost.length === 0) row.posFilesMatched++;
      else {
        const warden = [...new Set(own.map((f) => f.line))].join(', ');
        row.missed.push(`${base(entry.path)}: line ${lost.join(', ')}${warden ? ` (Warden: ${warden})` : ' (no finding)'}`);
      }
    }
  }
  if (negatives.length > 0) {
    const { findings } = await scanQuery(root, negatives, rules, follow);
    for (const entry of negatives) {
      const own = findings.filter((f) => f.file === entry.path);
      if (own.length === 0) row.negClean++;
      else row.flagged.push(`${base(entry.path)}: ${own.map((f) => `${f.ruleId}@${f.line}`).join(', ')}`);
    }
  }
  const explained = (row.missed.length === 0 || why.positives) && (row.flagged.length === 0 || why.negatives);
  row.status = row.missed.length === 0 && row.flagged.length === 0 ? 'agrees' : explained ? 'explained' : 'DIFFERS';
  return row;
}

function loadIndex(root: string): KicsEntry[] | null {
  const index = join(root, 'index.json');
  if (!existsSync(index) || !existsSync(join(root, 'kics'))) return null;
  return JSON.parse(readFileSync(index, 'utf8')) as KicsEntry[];
}

/** The table key that holds a query's entry: its shown name, else the bare query. */
function whichKey(table: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const bare = key.slice(key.indexOf('/') + 1);
  return key in table ? key : bare in table ? bare : undefined;
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  const found = whichKey(table, key);
  return found === undefined ? undefined : table[found];
}

/** Columns as wide as their widest cell (the last one unpadded). */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd());
}

/** Run one part; false when the corpus is missing or a followed query differs without a recorded reason. */
export async function runKicsPart(root: string, part: KicsPart): Promise<boolean> {
  console.log(`\n${part.title}`);
  const index = loadIndex(root);
  if (!index) {
    console.error(`  corpus not found: ${join(root, 'index.json')} and ${join(root, 'kics')} are needed`);
    return false;
  }
  const byQuery = new Map<string, KicsEntry[]>();
  for (const e of index.filter((e) => e.source === 'kics' && part.select(e))) byQuery.set(part.key(e), [...(byQuery.get(part.key(e)) ?? []), e]);
  if (byQuery.size === 0) {
    console.error('  no KICS queries of this part in the corpus');
    return false;
  }

  const rows: Row[] = [];
  const notFollowed: string[] = [];
  const untriaged: string[] = [];
  for (const [key, entries] of [...byQuery].sort(([a], [b]) => a.localeCompare(b))) {
    const follow = lookup(part.followed, key);
    const reason = lookup(part.notFollowed, key);
    if (follow) rows.push(await runQuery(root, key, entries, follow, lookup(part.reasons, key) ?? {}, part.rules));
    else if (reason) notFollowed.push(`  ${key}: ${reason}`);
    else untriaged.push(`  ${key}`);
  }

  const sum = (f: (r: Row) => number) => rows.reduce((n, r) => n + f(r), 0);
  const count = (s: Row['status']) => rows.filter((r) => r.status === s).length;
  const lines = table([
    ['query', 'rule(s)', 'positives', 'lines', 'negatives', 'status'],
    ...rows.map((r) => [r.key, r.rules.join(', '), `${r.posFilesMatched}/${r.posFiles}`, `${r.linesMatched}/${r.lines}`, `${r.negClean}/${r.neg}`, r.status]),
    [
      `total: ${rows.length} queries followed`,
      `${count('agrees')} agree, ${count('explained')} explained, ${count('DIFFERS')} differ`,
      `${sum((r) => r.posFilesMatched)}/${sum((r) => r.posFiles)}`,
      `${sum((r) => r.linesMatched)}/${sum((r) => r.lines)}`,
      `${sum((r) => r.negClean)}/${sum((r) => r.neg)}`,
      '',
    ],
  ]);
  for (const l of lines) console.log(l);
  const caught = sum((r) => r.linesMatched);
  const expected = sum((r) => r.lines);
  console.log(`positives caught: ${caught}/${expected} expected KICS lines of the followed queries (${expected ? Math.floor((100 * caught) / expected) : 100}%)`);
  console.log('positives: files with every expected line matched; lines: expected KICS results matched; negatives: files with no finding of the rule(s)');
  console.log(`matching: ${MATCHING}`);

  const differing = rows.filter((r) => r.status !== 'agrees');
  if (differing.length > 0) {
    console.log(`differences (${differing.length} queries):`);
    for (const r of differing) {
      const why = lookup(part.reasons, r.key) ?? {};
      console.log(`  ${r.key}${r.status === 'DIFFERS' ? '   <-- not explained' : ''}`);
      if (r.missed.length > 0) console.log(`    positives missed: ${r.missed.join('; ')}\n      why: ${why.positives ?? 'NO REASON RECORDED'}`);
      if (r.flagged.length > 0) console.log(`    negatives flagged: ${r.flagged.join('; ')}\n      why: ${why.negatives ?? 'NO REASON RECORDED'}`);
    }
  }
  // A reason for a difference that no longer happens (on any query it covers) is stale: say so, so it gets removed.
  const stale = Object.entries(part.reasons).flatMap(([reasonKey, why]) => {
    const covered = rows.filter((r) => whichKey(part.reasons, r.key) === reasonKey);
    if (covered.length === 0) return [`  ${reasonKey}: no followed query uses it`];
    return [
      ...(why.positives && covered.every((r) => r.missed.length === 0) ? [`  ${reasonKey}: positives now all matched; drop its positives reason`] : []),
      ...(why.negatives && covered.every((r) => r.flagged.length === 0) ? [`  ${reasonKey}: negatives now all clean; drop its negatives reason`] : []),
    ];
  });
  if (stale.length > 0) console.log(`stale reasons (${stale.length}):\n${stale.join('\n')}`);
  if (notFollowed.length > 0) console.log(`queries Warden deliberately does not follow (${notFollowed.length}):\n${notFollowed.join('\n')}`);
  if (untriaged.length > 0) console.log(`queries not triaged yet (${untriaged.length}; map them to a rule or give the reason they are not followed):\n${untriaged.join('\n')}`);
  return count('DIFFERS') === 0;
}
