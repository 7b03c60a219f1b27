// Terraform variable definitions files (`.tfvars`, `.tfvars.json`): which ones Terraform reads for a module and in
// what order, where a value they (or a changed default or local) gave is reported and a fix written, and which of
// them a change touched.
import picomatch from 'picomatch';
import { posix } from 'node:path';
import type { Edit, EditOp, ParsedFile, Path, Range, Resource } from '../../model.js';
import { assignLiteral, varFileOf, type VarFile } from '../../formats/hcl-vars.js';
import { isRecord, pathKey, startsWith } from '../path.js';
import type { FileDeclarations } from './file-declarations.js';

/** Whether Terraform reads a variable definitions file for its module (automatic, or named in the config). */
export function readsVarFile(file: string, varFileGlobs: readonly string[]): boolean {
  return varFilePrecedence(varFileGlobs)(file) !== null;
}

/** Which variable definitions files Terraform reads for a module, and in what order (later ones win). */
function varFilePrecedence(varFileGlobs: readonly string[]): (file: string) => [number, number] | null {
  const configured = varFileGlobs.map((glob) => picomatch(glob, { dot: true }));
  return (file) => {
    const base = posix.basename(file);
    if (base === 'terraform.tfvars') return [0, 0];
    if (base === 'terraform.tfvars.json') return [1, 0];
    if (/\.auto\.tfvars(\.json)?$/.test(base)) return [2, 0];
    const listed = configured.findIndex((matches) => matches(file));
    return listed >= 0 ? [3, listed] : null; // any other .tfvars is read only when named (-var-file)
  };
}

/** The variable definitions files of one module that Terraform reads, first to last. */
export function orderedVarFiles(varFiles: readonly VarFile[], varFileGlobs: readonly string[]): VarFile[] {
  const rank = varFilePrecedence(varFileGlobs);
  return varFiles
    .flatMap((varFile) => {
      const r = rank(varFile.file);
      return r ? [{ varFile, r }] : [];
    })
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || (posix.basename(a.varFile.file) < posix.basename(b.varFile.file) ? -1 : 1))
    .map(({ varFile }) => varFile);
}

/**
 * Where a value a finding should be reported at was given, by reference (`var.x`, `local.y`): the definitions file
 * that gave a variable its value; else the changed line of its default, or of a local.
 */
export interface GivenAt {
  varFile: VarFile;
  /** Its key in `varFile.lines`. */
  name: string;
  /** A literal written there fixes the value (a definitions file's always does; an expression's would overwrite it). */
  fixable: boolean;
}

// ---- values a variable definitions file gave ----

/** A setting whose value is exactly `var.<name>` (or `local.<name>`), and where it was given (GivenAt). */
interface VarFileValue extends GivenAt {
  path: Path;
  /** The reference as written: `var.acl`, `local.acl`. */
  reference: string;
}
const fromVarFiles = new WeakMap<Resource, VarFileValue[]>();

/** The settings of a body written exactly `${var.x}` (`${local.y}`) where a definitions file assigns x (or a change gave it). */
export function varFileValues(body: unknown, assigned: Record<string, GivenAt>, at: Path = [], out: VarFileValue[] = []): VarFileValue[] {
  if (typeof body === 'string') {
    const reference = /^\$\{((?:var|local)\.[A-Za-z_][\w-]*)\}$/.exec(body)?.[1];
    const given = reference === undefined ? undefined : assigned[reference];
    if (given && given.varFile.lines[given.name]) out.push({ path: at, reference: reference!, ...given });
  } else if (Array.isArray(body)) body.forEach((v, i) => varFileValues(v, assigned, [...at, i], out));
  else if (isRecord(body)) for (const [k, v] of Object.entries(body)) varFileValues(v, assigned, [...at, k], out);
  return out;
}

/**
 * Report what a definitions file gave where it gives it: a finding inside such a value is located at the assignment
 * (one finding per assignment, however many resources use it), and the resource is changed when that line is.
 */
export function locateAtVarFiles(resource: Resource, values: VarFileValue[]): void {
  const own = resource.source.locate;
  resource.source.locate = (path) => {
    const value = values.find((v) => startsWith(path, v.path));
    if (!value) return own(path);
    const range = value.varFile.lines[value.name]!;
    return {
      ...range,
      exact: path.length === value.path.length,
      origin: { file: value.varFile.file, resource: value.reference, path: [value.name, ...path.slice(value.path.length)], text: value.varFile.text },
    };
  };
  resource.contributors = [{ file: resource.file, range: resource.range }, ...values.map((v) => ({ file: v.varFile.file, range: v.varFile.lines[v.name]! }))];
  fromVarFiles.set(resource, values);
}

/**
 * A fix's edits when it sets values a definitions file gave: each assignment rewritten with the literal. Null when no
 * op touches such a value (the format renders the fix); none when one does but cannot be written there (shown only).
 */
export function renderAtVarFiles(resource: Resource, ops: readonly EditOp[]): Edit[] | null {
  const values = fromVarFiles.get(resource);
  if (!values || !ops.some((op) => values.some((v) => startsWith(op.path, v.path)))) return null;
  const edits: Edit[] = [];
  for (const op of ops) {
    const value = values.find((v) => pathKey(v.path) === pathKey(op.path));
    const edit = value && op.op === 'set' && value.fixable ? assignLiteral(value.varFile, value.name, op.value) : null;
    if (!edit) return [];
    edits.push(edit);
  }
  return edits;
}

/**
 * The definitions files a change touched, with the lines of their assignments: those parsed here (`changedOf`) and
 * those other threads parsed (their declarations). A file scanned whole (no change set) is not one.
 */
export function changedVarFiles(
  parsed: readonly ParsedFile[],
  changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined>,
  declarations: readonly FileDeclarations[],
): ChangedVarFile[] {
  const here = parsed.flatMap((file) => {
    const varFile = varFileOf(file);
    const changed = changedOf.get(file.file);
    return varFile && changed ? [{ file: file.file, lines: varFile.lines, changed }] : [];
  });
  return [...here, ...changedElsewhere(declarations)];
}

/** The definitions files other threads parsed that the change touched: a job's, found once however many files it evaluates. */
function changedElsewhere(declarations: readonly FileDeclarations[]): readonly ChangedVarFile[] {
  let found = changedIn.get(declarations);
  if (!found) changedIn.set(declarations, (found = declarations.flatMap((d) => (d.varFile?.changed ? [{ file: d.file, lines: d.varFile.lines, changed: new Set(d.varFile.changed) }] : []))));
  return found;
}
const changedIn = new WeakMap<readonly FileDeclarations[], readonly ChangedVarFile[]>();

/** A definitions file the change touched: the lines of its assignments, and the lines touched. */
interface ChangedVarFile {
  file: string;
  lines: Readonly<Record<string, Range>>;
  changed: ReadonlySet<number>;
}

/** The lines the change touched in the definitions files other threads parsed, for telling changed resources. */
export function varFileChanges(declarations: readonly FileDeclarations[]): [string, ReadonlySet<number> | null][] {
  return declarations.flatMap((d) => (d.varFile ? [[d.file, d.varFile.changed ? new Set(d.varFile.changed) : null] as [string, ReadonlySet<number> | null]] : []));
}
