// Terraform's override files merged as Terraform merges them: each block of `override.tf` (or `*_override.tf`, and
// their `.tf.json`) replaces, in the block of the same address in its module's other files, every argument and nested
// block type it writes; override files apply in the order of their names. The original is judged as merged: what
// the override gave is reported in the override file, at the argument it writes, and a fix there is shown, not
// offered (it would be written in the original, which the override overwrites). The override block has no findings
// of its own then. Its lines count as the original's: a change to them reviews the merged block.
import type { ParsedFile, Path, Range, Resource } from '../../model.js';
import { overrideOf } from '../../formats/terraform-overrides.js';
import { pathKey, startsWith } from '../path.js';
import { moduleOf } from './references.js';
import { assignOwn, ownValue, setOwn } from '../../common/own-key.js';

/** An override file's block as plain data: what crosses to a worker evaluating another file of the module. */
export interface OverrideBlock {
  file: string;
  /** `aws_s3_bucket.models`, `data.aws_iam_policy_document.read`. */
  address: string;
  /** The paths of the body it replaces (its arguments and nested block types; `[]`: the whole body). */
  paths: Path[];
  /** What it writes there, as its body holds it. */
  values: unknown[];
  /** Where each path is written, and the block. */
  lines: Range[];
  range: Range;
  /** The override file's text (a suppression above the argument holds for what is reported there). */
  text: string;
  /** The lines of the block the change touched; null: all of it. */
  changed: number[] | null;
}

/** The override blocks of a parsed override file (none for another file). */
export function overrideBlocks(file: ParsedFile, changed?: ReadonlySet<number> | null): OverrideBlock[] {
  return file.resources.flatMap((resource) => {
    const override = overrideOf(resource);
    if (!override) return [];
    return [{
      file: file.file,
      address: override.address,
      paths: override.paths,
      values: override.paths.map((path) => valueAt(resource.body, path)),
      lines: override.paths.map((path) => (path.length === 0 ? resource.range : rangeOnly(resource.source.locate(path)))),
      range: resource.range,
      text: file.text,
      changed: changed ? [...changed] : null,
    }];
  });
}

const merged = new WeakSet<Resource>();

/** Whether a resource is an override block merged into its original (its findings are the original's). */
export function isMergedOverride(resource: Resource): boolean {
  return merged.has(resource);
}

/**
 * Merges into each resource of `files` the override blocks of its module and address (among `files` and `blocks`,
 * those other threads parsed), in the order of their files' names; marks the override blocks whose original is at
 * hand (in `files`, or among `originals`: the addresses other threads parsed, `module\0address`). Returns, by
 * resource, the paths its overrides wrote: no value there is written in the original's file.
 */
export function mergeOverrides(files: readonly ParsedFile[], others: readonly { overrides?: OverrideBlock[]; addresses?: string[] }[]): Map<Resource, Path[]> {
  const overridden = new Map<Resource, Path[]>();
  const { blocks, originals } = jobOverrides(others);
  const here = files.flatMap((file) => overrideBlocks(file));
  // Most evaluations have none: a worker evaluates one file at a time, thousands of times with the same others.
  if (blocks.length === 0 && here.length === 0) return overridden;
  const all = [...blocks.filter((b) => !here.some((h) => h.file === b.file)), ...here];
  const byAddress = new Map<string, OverrideBlock[]>();
  for (const block of all) {
    const key = `${moduleOf(block)}\0${block.address}`;
    byAddress.set(key, [...(byAddress.get(key) ?? []), block]);
  }
  // The originals at hand: the job's, and these files' (the job's are not copied for each file evaluated).
  const foundHere = new Set<string>();
  for (const file of files) {
    for (const resource of file.resources) {
      const key = addressKey(resource);
      if (key === null) continue;
      foundHere.add(key);
      const overrides = (byAddress.get(key) ?? []).sort((a, b) => a.file.localeCompare(b.file));
      if (overrides.length === 0) continue;
      for (const block of overrides) block.paths.forEach((path, i) => setAt(resource.body, path, structuredClone(block.values[i])));
      relocate(resource, overrides);
      overridden.set(resource, overrides.flatMap((b) => b.paths));
    }
  }
  for (const file of files) {
    for (const resource of file.resources) {
      const override = overrideOf(resource);
      const key = override && `${moduleOf(resource)}\0${override.address}`;
      if (key && (originals.has(key) || foundHere.has(key))) merged.add(resource);
    }
  }
  return overridden;
}

const byJob = new WeakMap<readonly object[], { blocks: OverrideBlock[]; originals: ReadonlySet<string> }>();

/** The override blocks and original addresses of a job's other files, gathered once per job (its declarations). */
function jobOverrides(others: readonly { overrides?: OverrideBlock[]; addresses?: string[] }[]): { blocks: OverrideBlock[]; originals: ReadonlySet<string> } {
  let found = byJob.get(others);
  if (!found) {
    const blocks = others.flatMap((d) => d.overrides ?? []);
    // The originals only matter to an override block evaluated here; a job without any needs none of them.
    found = { blocks, originals: blocks.length === 0 ? new Set() : new Set(others.flatMap((d) => d.addresses ?? [])) };
    byJob.set(others, found);
  }
  return found;
}

/** A resource's `module\0address`, when it is a block an override may merge into (not an override block itself). */
function addressKey(resource: Resource): string | null {
  const tf = resource.terraform;
  if (!tf || overrideOf(resource) || (tf.block !== 'resource' && tf.block !== 'data')) return null;
  return `${moduleOf(resource)}\0${tf.block === 'data' ? 'data.' : ''}${tf.type}.${tf.name}`;
}

/** The addresses (`module\0address`) of a file's blocks that overrides may merge into, for other threads. */
export function originalAddresses(file: ParsedFile): string[] {
  return file.resources.flatMap((r) => addressKey(r) ?? []);
}

/** The lines the change touched in the override files other threads parsed, for telling the originals changed. */
export function overrideChanges(others: readonly { overrides?: OverrideBlock[]; addresses?: string[] }[]): [string, ReadonlySet<number> | null][] {
  return jobOverrides(others).blocks.map((b) => [b.file, b.changed ? new Set(b.changed) : null]);
}

/** What the overrides wrote is reported where they wrote it; the original and its overrides are its lines. */
function relocate(resource: Resource, overrides: readonly OverrideBlock[]): void {
  const own = resource.source.locate;
  // The last override of a path is what Terraform deploys.
  const writer = (path: Path) => {
    for (const block of [...overrides].reverse()) {
      const i = block.paths.findIndex((p) => startsWith(path, p));
      if (i >= 0) return { block, i };
    }
    return null;
  };
  resource.source.locate = (path) => {
    const found = writer(path);
    if (!found) return own(path);
    const { block, i } = found;
    return { ...block.lines[i]!, exact: pathKey(path) === pathKey(block.paths[i]!), origin: { file: block.file, resource: resource.id, path, text: block.text } };
  };
  resource.contributors = [...(resource.contributors ?? [{ file: resource.file, range: resource.range }]), ...overrides.map((b) => ({ file: b.file, range: b.range }))];
}

function rangeOnly(range: Range): Range {
  return { startLine: range.startLine, endLine: range.endLine };
}

/** What a block or list holds at `key` itself (a name like `__proto__` is an attribute name, never the prototype). */
function childAt(node: unknown, key: string | number): unknown {
  if (Array.isArray(node)) return typeof key === 'number' ? node[key] : undefined;
  return node !== null && typeof node === 'object' ? ownValue(node as Record<string, unknown>, String(key)) : undefined;
}

function valueAt(body: Record<string, unknown>, path: Path): unknown {
  return path.reduce<unknown>(childAt, body);
}

function setAt(body: Record<string, unknown>, path: Path, value: unknown): void {
  if (path.length === 0) {
    for (const key of Object.keys(body)) delete body[key];
    assignOwn(body, value as Record<string, unknown>);
    return;
  }
  let node: Record<string, unknown> = body;
  for (const key of path.slice(0, -1)) {
    const child = childAt(node, key);
    if (child === null || typeof child !== 'object') {
      if (value === undefined) return; // nothing there to remove
      setOwn(node, String(key), {});
    }
    node = childAt(node, key) as Record<string, unknown>;
  }
  const last = String(path.at(-1)!);
  if (value === undefined) delete node[last];
  else setOwn(node, last, value);
}
