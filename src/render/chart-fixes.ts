// A chart's fixes, written where a person edits and proven by rendering the chart again (src/render/chart-review.ts
// places the findings): a values key the chart prints whole (`toYaml .Values.securityContext`), a literal template
// line, or a values key named for a subtree the chart prints nothing of. A fix that does not clear its findings when
// rendered again is shown, not offered; findings whose fixes overlap in one values file are proven as one edit.
import { chartRelative } from './chart-file.js';
import { lineEdit } from '../engine/edits.js';
import { pathKey as enginePathKey } from '../engine/path.js';
import { evaluate } from '../engine/run.js';
import { isMap, isScalar, parseDocument } from 'yaml';
import { applyYamlOps } from '../formats/yaml-edits.js';
import { inDocument } from '../formats/listed-objects.js';
import type { EditOp, Finding, Fix, ParsedFile, Path } from '../model.js';
import { groupFindings } from '../engine/fix-groups.js';
import type { ChartReviewInput, ChartReviewOptions } from './chart-review.js';
import { nodeAt, pathKey, type RenderedDocument } from './provenance.js';
import { loadValues } from './values.js';
import type { Origin } from './gotemplate/index.js';
import { ownValue } from '../common/own-key.js';

/**
 * An op on the rendered object as an op on a values file: the longest prefix of its path that the
 * chart printed whole from one values key (`toYaml .Values.securityContext`) anchors it there.
 */
function valuesOp(doc: RenderedDocument, op: EditOp, sources: Map<string, string>): { file: string; op: EditOp } | null {
  for (let depth = op.path.length; depth >= 1; depth--) {
    const node = doc.nodes.get(pathKey([...op.path.slice(0, depth)]));
    if (!node) continue;
    const origin = node.value;
    if (!node.wholeValue || origin?.kind !== 'values') return null;
    // The key's value is the outermost node printed from it: a text printed whole makes the nodes inside it its own too.
    let top = depth;
    while (top > 0 && sameOrigin(doc.nodes.get(pathKey([...op.path.slice(0, top - 1)]))?.value, origin)) top--;
    if (!holdsPrinted(origin, valueIn(doc.data, op.path.slice(0, top)), sources)) return null;
    const path = [...origin.path, ...op.path.slice(top)];
    return { file: origin.file, op: { ...op, path } as EditOp };
  }
  return null;
}

function sameOrigin(a: Origin | undefined, b: Extract<Origin, { kind: 'values' }>): boolean {
  return a?.kind === 'values' && a.file === b.file && a.line === b.line && pathKey(a.path) === pathKey(b.path);
}

/** The values file read last: a chart's findings map their fixes into the same one. */
let loaded: { file: string; text: string; values: unknown } | undefined;

/**
 * Whether the values key holds the data the chart printed from it (`toYaml .Values.securityContext`), not a string the
 * chart printed as YAML text (`{{ .Values.initContainers }}` of a block of text): an edit there would replace the text.
 */
function holdsPrinted(origin: Extract<Origin, { kind: 'values' }>, printed: unknown, sources: Map<string, string>): boolean {
  const text = sources.get(origin.file);
  if (text === undefined) return true;
  let held: unknown;
  try {
    if (loaded?.file !== origin.file || loaded.text !== text) loaded = { file: origin.file, text, values: loadValues(origin.file, text) };
    held = valueIn(loaded.values, origin.path);
  } catch {
    return false;
  }
  // A scalar may print as another (`privileged: {{ .Values.privileged }}` of "true"); text never prints as a map or list.
  const shape = (v: unknown) => (Array.isArray(v) ? 'list' : v !== null && typeof v === 'object' ? 'map' : 'scalar');
  return shape(held) === shape(printed);
}

/** The value at a path of plain data (own keys only). */
function valueIn(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = ownValue(cur as Record<string, unknown>, String(key));
  }
  return cur;
}

/** A literal `key: value` template line (no action on it) that a set or remove of that scalar can rewrite. */
function literalLineEdit(doc: RenderedDocument, op: EditOp, sources: Map<string, string>): { file: string; text: string } | null {
  if (op.op === 'append') return null;
  const node = doc.nodes.get(pathKey([...op.path]));
  const origin = node?.value;
  if (!node || origin?.kind !== 'template' || node.key?.kind !== 'template' || node.key.line !== origin.line) return null;
  const text = sources.get(origin.file);
  if (text === undefined) return null;
  const lines = text.split('\n');
  const line = lines[origin.line - 1] ?? '';
  const m = /^(\s*(?:-\s+)?)([\w.\-/]+):\s+[^{}#\s][^{}#]*?\s*(#.*)?$/.exec(line);
  const key = op.path[op.path.length - 1];
  if (!m || m[2] !== String(key)) return null;
  if (op.op === 'remove') {
    if (/-\s+$/.test(m[1]!)) return null;
    lines.splice(origin.line - 1, 1);
  } else {
    if (typeof op.value === 'object' && op.value !== null) return null;
    lines[origin.line - 1] = `${m[1]}${m[2]}: ${JSON.stringify(op.value)}${m[3] ? ` ${m[3]}` : ''}`;
  }
  return { file: origin.file, text: lines.join('\n') };
}

/** A fix that edits a values file: the file, and its ops there (the rendered object's ops mapped by valuesOp). */
export interface ValuesEdit {
  file: string;
  ops: EditOp[];
}

/**
 * The fix written at its origin (a values file, or a literal template line), kept only if rendering again clears the
 * finding; with its ops in the values file when it edits one. `intoParent`: for a subchart's own values file nobody
 * edits (an archive's), the values file and key under which the chart that installs it sets the same values (Helm
 * coalesces the parent's `redis:` over the subchart's defaults); null for a file that is edited where it is.
 */
export function chartFix(
  finding: Finding,
  fix: Fix,
  doc: RenderedDocument,
  at: Path,
  sources: Map<string, string>,
  valuesFile: string,
  clears: Clears,
  intoParent: (file: string) => { file: string; key: string } | null = () => null,
): { fix: Fix; values?: ValuesEdit } {
  const display = { fix: { ...fix, applicability: 'display', edits: [] } satisfies Fix };
  // An edited file's line edit, kept only if rendering again clears the finding.
  const proven = (edited: { file: string; text: string } | null, values?: ValuesEdit) => {
    const edit = edited && lineEdit(edited.file, sources.get(edited.file)!, edited.text);
    return edit && clears([finding], edited) ? { fix: { ...fix, edits: [edit] }, values } : null;
  };
  const ops = fix.ops.map((op) => ({ ...op, path: inDocument(at, op.path) }) as EditOp);
  const mapped = ops.map((op) => valuesOp(doc, op, sources));
  const found = mapped.every((m) => m !== null) && new Set(mapped.map((m) => m!.file)).size === 1 ? { file: mapped[0]!.file, ops: mapped.map((m) => m!.op) } : undefined;
  const parent = found && intoParent(found.file);
  const values = found && parent ? { file: parent.file, ops: found.ops.map((op) => ({ ...op, path: [parent.key, ...op.path] }) as EditOp) } : found;
  const edited = values ? valuesEdited(values, sources) : ops.length === 1 ? literalLineEdit(doc, ops[0]!, sources) : null;
  if (edited) return proven(edited, values) ?? display;
  // Not printed at all (`{{- with .Values.securityContext }}` of an empty key): a values key named for what is
  // missing, tried in turn, kept only if rendering again prints it and clears the finding.
  for (const guess of guessedValuesEdits(doc, ops, valuesFile, sources)) {
    const fixed = proven(valuesEdited(guess, sources), guess);
    if (fixed) return fixed;
  }
  return display;
}

/** Values keys tried for a subtree the chart printed nothing of, at most: each try renders the chart again. */
const MAX_GUESSED_KEYS = 3;

/**
 * Where in values.yaml a subtree the chart printed nothing of may be set: the ops' first missing key (the same for
 * all of them, `securityContext`), matched by a key of values.yaml whose name is it or ends with it
 * (`podSecurityContext`, `containerSecurityContext`) and that holds a mapping or nothing. Each as the ops moved
 * under that key; the proof decides.
 */
function guessedValuesEdits(doc: RenderedDocument, ops: readonly EditOp[], valuesFile: string, sources: Map<string, string>): ValuesEdit[] {
  const text = sources.get(valuesFile);
  if (text === undefined || ops.length === 0) return [];
  const missing = ops.map((op) => nodeAt(doc, op.path)?.depth ?? -1);
  const depth = missing[0]!;
  const key = ops[0]!.path[depth];
  if (depth < 0 || typeof key !== 'string' || !ops.every((op, i) => missing[i] === depth && op.path[depth] === key && op.op !== 'remove')) return [];
  const wanted = key.toLowerCase();
  const found: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (!isMap(node) || path.length > 3) return;
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : null;
      if (name === null) continue;
      const value = pair.value;
      const empty = value === null || (isScalar(value) && value.value === null) || isMap(value);
      if (empty && name.toLowerCase().endsWith(wanted)) found.push([...path, name]);
      walk(value, [...path, name]);
    }
  };
  walk(parseDocument(text).contents, []);
  // A container's subtree in a key not named for pods, a pod's in one that is (`podSecurityContext`), then the exact
  // name, then the shorter paths.
  const ofContainer = typeof ops[0]!.path[depth - 1] === 'number';
  const rank = (at: Path) => {
    const name = String(at.at(-1)).toLowerCase();
    return (name.startsWith('pod') !== ofContainer ? 0 : 2) + (name === wanted ? 0 : 1);
  };
  found.sort((a, b) => rank(a) - rank(b) || a.length - b.length);
  return found.slice(0, MAX_GUESSED_KEYS).map((at) => ({ file: valuesFile, ops: ops.map((op) => ({ ...op, path: [...at, ...op.path.slice(depth + 1)] }) as EditOp) }));
}

/** A values file with ops applied (null: the file is not the chart's, or the ops do not apply). */
function valuesEdited(values: ValuesEdit, sources: Map<string, string>): { file: string; text: string } | null {
  const text = sources.get(values.file);
  if (text === undefined) return null;
  try {
    return { file: values.file, text: applyYamlOps(text, 0, values.ops) };
  } catch {
    return null;
  }
}

/**
 * Findings whose fixes overlap in one values file (a container's missing settings, all written under its
 * `securityContext` key) are offered as one edit, as planning groups them (src/engine/fix-groups.ts): all their ops
 * applied to the file, proven by rendering again with every one of them gone, and carried on the group's first
 * member (`fix.rendered`, null when it does not hold).
 */
export function proveGroups(findings: Finding[], valuesEdits: ReadonlyMap<Finding, ValuesEdit>, sources: Map<string, string>, clears: Clears): void {
  const open = findings.filter((f) => f.fix && f.fix.applicability !== 'display' && f.fix.edits.length === 1 && !f.suppressed);
  for (const members of groupFindings(open)) {
    if (members.length < 2) continue;
    const own = members.map((f) => valuesEdits.get(f));
    const file = own[0]?.file;
    // Members on objects printed from one values key carry the same ops: each written once.
    const ops = [...new Map(own.flatMap((v) => v?.ops ?? []).map((op) => [JSON.stringify(op), op])).values()];
    const edited = file && own.every((v) => v?.file === file) ? valuesEdited({ file, ops }, sources) : null;
    const edit = edited && lineEdit(edited.file, sources.get(edited.file)!, edited.text);
    const proven = edit && clears(members, edited) ? edit : null;
    members[0]!.fix = { ...members[0]!.fix!, rendered: { members: members.map((f) => f.fingerprint), edit: proven } };
  }
}

/** The chart rendered from these files (chart-relative paths): its objects, and how many templates failed (not rendered, or not YAML). */
export type Rerender = (files: Map<string, string>) => { parsed: ParsedFile[]; problems: number };

/** Whether the chart rendered again with an edit has none of the target findings left. */
export type Clears = (targets: readonly Finding[], edited: { file: string; text: string }) => boolean;

/**
 * Renders of a chart again to prove its fixes, at most, in one review: each costs what the first render cost, and a
 * chart whose findings each need their own edit would otherwise take its review past the time limit (and every
 * changed file of the chart with it). Past it a fix is shown, not offered.
 */
export const MAX_CHART_PROOF_RENDERS = 100;

/**
 * Renders the chart again with an edit and runs the rules: the fix holds if every one of its findings is gone, and
 * no template that rendered before fails now. One render per distinct edit: objects of many templates printed
 * from one values key share their fix (36 Deployments of one chart, one `securityContext`).
 */
export function rerenders(input: ChartReviewInput, options: ChartReviewOptions, problemsBefore: number, render: Rerender): Clears {
  // A finding of the chart is known by its rule, object and path (its fingerprint names where it is reported).
  const key = (f: Finding) => `${f.ruleId}\0${f.resource}\0${enginePathKey(f.path)}`;
  const renders = new Map<string, Set<string> | null>();
  const left = (edited: { file: string; text: string }): Set<string> | null => {
    const id = `${edited.file}\0${edited.text}`;
    if (renders.has(id)) return renders.get(id)!;
    if (renders.size >= MAX_CHART_PROOF_RENDERS) return null;
    const files = new Map(input.head);
    files.set(chartRelative(input.dir, edited.file), edited.text);
    const again = render(files);
    const scanned = again.parsed.flatMap((p) => p.resources);
    const { findings } = evaluate(again.parsed, new Map(), { ...options, scanned, renderFixes: false });
    const found = again.problems <= problemsBefore ? new Set(findings.map(key)) : null;
    renders.set(id, found);
    return found;
  };
  return (targets, edited) => {
    // Only the chart's own files (and the values files it is rendered with, wherever they are) are rendered again.
    if (!input.head.has(chartRelative(input.dir, edited.file))) return false;
    const found = left(edited);
    return found !== null && !targets.some((f) => found.has(key(f)));
  };
}
