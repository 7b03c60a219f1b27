// A Terraform resource reads the data blocks it references: `policy = data.aws_iam_policy_document.x.json`
// puts the data block's statements into the policy. So a change to the data block alone changes the resource,
// and the resource is reviewed as changed, wherever in the module (folder) the data block sits. The same holds for
// the variables it reads, by name or through locals: a change to what a definitions file assigns them (or the
// file deleted, its values gone back to the defaults) changes every resource that reads them.
import { rangeTouches } from '../diff.js';
import type { ParsedFile, Range, Resource } from '../model.js';
import { moduleOf, namesIn, referencesIn } from './terraform/references.js';
import type { FileDeclarations } from './terraform/file-declarations.js';
import { namesReadBy } from './terraform/evaluate.js';
import { calledModuleOf } from './terraform/local-modules.js';
import { terraformDeclarations } from '../formats/hcl.js';
import { memoByIdentity } from '../common/memo.js';

/** How a data block is named across files: its module folder and its address. */
function dataKey(module: string, type: string, name: string): string {
  return `${module}\0data.${type}.${name}`;
}

/** How a variable is named across files: its module folder and `var.<name>`. */
export function variableKey(module: string, name: string): string {
  return `${module}\0var.${name}`;
}

/**
 * How a protection a change removed is named across files: its module folder and the type it protected
 * (`aws_s3_bucket`). Every resource of that type in the module is then judged again, as changed.
 */
export function lostProtectionKey(module: string, protectedType: string): string {
  return `${module}\0lost.${protectedType}`;
}

/**
 * How a changed module is named across files: its folder. What a caller deploys through it with the caller's inputs
 * (the resources its call builds) is then judged again, as changed, wherever the caller is.
 */
export function changedModuleKey(module: string): string {
  return `${module}\0module`;
}

/**
 * How a local module call is named across files: its file and name. What its module creates only through it (that it
 * may create none of, `terraform.calls`) is then judged again, as changed, wherever the module is.
 */
export function moduleCallKey(file: string, name: string): string {
  return `${file}\0call.${name}`;
}

/**
 * A key's module folder and what it names (`var`, `local`, `file`, `data`; null for the others). Kept by key: each
 * file of a job is evaluated in its own call with the job's keys, so the same keys are read once per file.
 */
function keyParts(key: string): { module: string; names: 'var' | 'local' | 'file' | 'data' } | null {
  let parts = keyPartsKept.get(key);
  if (parts === undefined) {
    const match = /\0(var\.|local\.|file:|data\.)/.exec(key);
    parts = match ? { module: key.slice(0, match.index), names: match[1]!.slice(0, -1) as 'var' | 'local' | 'file' | 'data' } : null;
    if (keyPartsKept.size >= MAX_KEYS_KEPT) keyPartsKept.clear();
    keyPartsKept.set(key, parts);
  }
  return parts;
}
const keyPartsKept = new Map<string, { module: string; names: 'var' | 'local' | 'file' | 'data' } | null>();
const MAX_KEYS_KEPT = 100_000;

/** The module folders some key names a variable or local of: where resources must record what they read. */
export function modulesWithTouchedVariables(touched: Iterable<string>): Set<string> {
  const modules = new Set<string>();
  for (const key of touched) {
    const parts = keyParts(key);
    if (parts && parts.names !== 'data') modules.add(parts.module);
  }
  return modules;
}

/** `keys` with `more`: the same set when it holds them all already (a job's keys are shared by each of its files). */
export function withKeys(keys: ReadonlySet<string>, more: readonly string[]): ReadonlySet<string> {
  return more.every((key) => keys.has(key)) ? keys : new Set([...keys, ...more]);
}

/** The keys of the data blocks in `files` whose lines the change touches (files without a change set: none). */
export function touchedDataBlocks(files: readonly ParsedFile[], changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>): string[] {
  const keys: string[] = [];
  for (const file of files) {
    const changed = changedOf.get(file.file);
    if (!changed) continue;
    for (const r of file.resources) {
      if (r.terraform?.block === 'data' && rangeTouches(r.range, changed)) keys.push(dataKey(moduleOf(r), r.terraform.type, r.terraform.name));
    }
  }
  return keys;
}

/** The keys of the local module calls in `files` whose lines the change touches (its `count` set to 0, say). */
export function touchedModuleCalls(files: readonly ParsedFile[], changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>): string[] {
  return files.flatMap((file) => {
    const changed = changedOf.get(file.file);
    if (!changed || file.format !== 'hcl') return [];
    return terraformDeclarations(file).localModules.flatMap((call) => (rangeTouches(call.range, changed) ? [moduleCallKey(file.file, call.name)] : []));
  });
}

/**
 * The keys of the variables whose assignment lines the change touched in the definitions files Terraform reads
 * (`reads`). What a deleted file or line assigned is told apart, from the texts before (src/review.ts).
 */
export function touchedVariables(varFiles: readonly { file: string; lines: Readonly<Record<string, Range>>; changed: ReadonlySet<number> }[], reads: (file: string) => boolean): string[] {
  return varFiles.flatMap(({ file, lines, changed }) =>
    reads(file) ? Object.entries(lines).flatMap(([name, range]) => (rangeTouches(range, changed) ? [variableKey(moduleOf({ file }), name)] : [])) : [],
  );
}

/**
 * What passes on what the change touched, within a module: a data block or a local that names a touched variable,
 * local or data block (`identifiers = var.principals`, `doc = data.aws_iam_policy_document.x.json`), and a local
 * module call whose `count` or `for_each` does. A resource reading
 * one of them reads the change, though its own expressions name only the data block or the local: their keys join
 * the touched ones, until none is added. `declarations` as written (evaluation replaces the names by values).
 */
export function readersOfTouched(touched: readonly string[], declarations: readonly FileDeclarations[]): string[] {
  if (!touched.some((key) => keyParts(key) !== null)) return [];
  const keys = new Set(touched);
  const added: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of declarations) {
      for (const { key, reads } of readersIn(d)) {
        if (keys.has(key) || !reads.some((read) => keys.has(read))) continue;
        keys.add(key);
        added.push(key);
        grew = true;
      }
    }
  }
  return added;
}

/** What may pass a touched key on in one file's declarations: each reader's key and the keys it reads. */
interface Reader {
  key: string;
  reads: readonly string[];
}

/** readersOfTouched's readers of one file's declarations, made once per declarations (a job's serve each of its files). */
const readersIn = memoByIdentity((d: FileDeclarations): readonly Reader[] => {
  const module = moduleOf(d);
  const reader = (key: string, names: readonly string[]): Reader => ({ key, reads: names.map((name) => `${module}\0${name}`) });
  return [
    ...Object.entries(d.locals).map(([name, value]) => reader(`${module}\0local.${name}`, namesIn(value))),
    ...Object.entries(d.dataReads ?? {}).map(([address, names]) => reader(`${module}\0${address}`, names)),
    // A module call whose `count` or `for_each` reads one decides anew whether its module's resources are created.
    ...(d.calls ?? []).map((call) => reader(moduleCallKey(d.file, call.name), namesIn([call.inputs.count, call.inputs.for_each]))),
  ].filter((r) => r.reads.length > 0);
});

/**
 * Whether the resource references one of the touched data blocks, or reads one of the touched variables or locals, of
 * its own module, or is of a type a removed protection of its module protected, or was built by a call of a changed
 * module, or is created only through a changed call that may create none of its module.
 */
export function readsTouchedData(resource: Resource, touched: ReadonlySet<string>): boolean {
  if (touched.size === 0 || !resource.terraform) return false;
  const module = moduleOf(resource);
  if (referencesIn(resource.body).some((ref) => ref.block === 'data' && touched.has(dataKey(module, ref.type, ref.name)))) return true;
  for (const name of namesReadBy(resource)) if (touched.has(`${module}\0${name}`)) return true;
  if (resource.terraform.block === 'resource' && touched.has(lostProtectionKey(module, resource.terraform.type))) return true;
  if (resource.terraform.calls?.calls.some((call) => touched.has(moduleCallKey(call.file, call.name)))) return true;
  const called = calledModuleOf(resource);
  return called !== undefined && touched.has(changedModuleKey(called));
}
