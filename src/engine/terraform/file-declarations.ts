// A file's Terraform declarations as plain data (its variables, locals, definitions file values, resources, module
// calls, override blocks, Terragrunt inputs): what crosses to the workers that evaluate the other files of its module.
import { posix } from 'node:path';
import type { ParsedFile, Range } from '../../model.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { varFileOf, type VarFile } from '../../formats/hcl-vars.js';
import type { LocalModuleCall, ModuleResourceData } from '../../formats/hcl-modules.js';
import type { TerragruntInputs } from '../../formats/terragrunt.js';
import { rangeTouches } from '../../diff.js';
import { moduleOf } from './references.js';
import { originalAddresses, overrideBlocks, type OverrideBlock } from './overrides.js';
import { declarationLinesOf, mayDeclare, type DeclarationLines } from './declaration-lines.js';
import { namesIn } from './references.js';
import { setOwn } from '../../common/own-key.js';

/** A file's Terraform declarations as plain data: what crosses to a worker that evaluates another file of the module. */
export interface FileDeclarations {
  file: string;
  variables: Record<string, { default?: unknown }>;
  locals: Record<string, unknown>;
  /** A variable definitions file: what it assigns, and the lines the change touched in it (null: all of them). */
  varFile?: VarFile & { changed: number[] | null };
  /** Its resources as written, for the calls of its module evaluated elsewhere (kept only where a call needs them). */
  resources?: ModuleResourceData[];
  /** Its local `module` blocks: the folder each calls, and its inputs as written, for calls of its own module to pass on. */
  calls?: ModuleCallData[];
  /**
   * The variables (`var.x`, their `default`) and locals (`local.y`) whose lines the change touched, with the file's
   * text: a finding on such a value is reported where it was changed (./declaration-lines.ts).
   */
  changedDeclarations?: { text: string; declared: ChangedDeclaration[] };
  /** An override file's blocks, merged into the module's originals wherever those are evaluated (./overrides.ts). */
  overrides?: OverrideBlock[];
  /** The addresses of its blocks an override may merge into (`module\0address`): an override block evaluated elsewhere has its original. */
  addresses?: string[];
  /** A Terragrunt configuration's inputs, and the lines the change touched in it (null: all): the units that include it merge them under their own. */
  terragrunt?: TerragruntInputs & { changed: number[] | null };
  /**
   * Its data blocks (`data.type.name`) that name variables, locals or other data blocks, with those names: a data
   * block reading what a change touched passes the change on to the resources reading it (src/engine/data-reads.ts).
   */
  dataReads?: Record<string, string[]>;
}

/** A local `module` block as plain data: it crosses to the workers that evaluate the files calling its module. */
export interface ModuleCallData {
  name: string;
  /** The folder it calls. */
  folder: string;
  inputs: Record<string, unknown>;
}

/** A variable's default or a local the change touched: where it is, and whether a literal written there fixes it. */
export interface ChangedDeclaration {
  key: string;
  range: Range;
  literal: boolean;
}

/** The variables' defaults and locals of an HCL or Terraform JSON file whose lines the change touched (none when unreadable). */
function changedDeclarationsOf(file: ParsedFile, changed: ReadonlySet<number> | null | undefined): ChangedDeclaration[] {
  if (!changed || changed.size === 0 || !mayDeclare(file)) return [];
  let lines: DeclarationLines;
  try {
    lines = declarationLinesOf(file);
  } catch {
    return []; // its readers are still reviewed as changed (touchedDeclarations); only not located here
  }
  const { variables, locals } = terraformDeclarations(file);
  // A fix of a value found at a changed default is written there in HCL only (Terraform JSON's: shown, not offered).
  const literal = (value: unknown) => file.format === 'hcl' && !JSON.stringify(value ?? null).includes('${');
  const found: ChangedDeclaration[] = [];
  for (const [name, { block, default: at }] of Object.entries(lines.variables)) {
    if (at && rangeTouches(block, changed)) found.push({ key: `var.${name}`, range: at, literal: literal(variables[name]?.default) });
  }
  for (const [name, range] of Object.entries(lines.locals)) if (rangeTouches(range, changed)) found.push({ key: `local.${name}`, range, literal: literal(locals[name]) });
  return found;
}

/** The declarations of a parsed file, as plain data (none for other formats). `changed`: the lines the change touched. */
export function fileDeclarations(file: ParsedFile, changed?: ReadonlySet<number> | null): FileDeclarations | null {
  const varFile = varFileOf(file);
  if (varFile) return { file: file.file, variables: {}, locals: {}, varFile: { ...varFile, changed: changed ? [...changed] : null } };
  // Terraform JSON gives the module its variables and locals, and its blocks, which overrides merge into or are.
  if (file.format === 'tfjson') {
    const { variables, locals } = terraformDeclarations(file);
    const declared: FileDeclarations = { file: file.file, variables, locals };
    const touched = changedDeclarationsOf(file, changed);
    if (touched.length > 0) declared.changedDeclarations = { text: file.text, declared: touched };
    const resources = writtenResources(file);
    if (resources.length > 0) declared.resources = resources;
    return overridesOf(file, changed, declared) ?? (Object.keys(variables).length + Object.keys(locals).length + resources.length > 0 ? declared : null);
  }
  if (file.format !== 'hcl') return null;
  const { variables, locals, localModules, terragrunt } = terraformDeclarations(file);
  const declared: FileDeclarations = { file: file.file, variables, locals, ...(terragrunt ? { terragrunt: { ...terragrunt.inputs, changed: changed ? [...changed] : null } } : {}) };
  const touched = changedDeclarationsOf(file, changed);
  if (touched.length > 0) declared.changedDeclarations = { text: file.text, declared: touched };
  const resources = writtenResources(file);
  if (resources.length > 0) declared.resources = resources;
  if (localModules.length > 0) declared.calls = localModules.map((call) => callData(file.file, call));
  const dataReads = dataBlockReads(file);
  if (dataReads) declared.dataReads = dataReads;
  return overridesOf(file, changed, declared) ?? (Object.keys(variables).length + Object.keys(locals).length + resources.length + localModules.length > 0 || terragrunt || dataReads ? declared : null);
}

/** The file's resources as written (before evaluation), for a call of its module to build with the caller's inputs. */
function writtenResources(file: ParsedFile): ModuleResourceData[] {
  return file.resources.filter((r) => r.terraform?.block === 'resource').map(({ id, kind, terraform, format, body }) => ({ id, kind, terraform, format, body }));
}

/** The names each data block of the file reads, as written (before evaluation replaces them by values); null when none reads any. */
function dataBlockReads(file: ParsedFile): Record<string, string[]> | null {
  let reads: Record<string, string[]> | null = null;
  for (const { terraform, body } of file.resources) {
    if (terraform?.block !== 'data') continue;
    const names = namesIn(body);
    if (names.length > 0) setOwn((reads ??= {}), `data.${terraform.type}.${terraform.name}`, names);
  }
  return reads;
}

/** `declared` with the file's override blocks and the addresses overrides may merge into; null when it has neither. */
function overridesOf(file: ParsedFile, changed: ReadonlySet<number> | null | undefined, declared: FileDeclarations): FileDeclarations | null {
  const overrides = overrideBlocks(file, changed);
  const addresses = originalAddresses(file);
  if (overrides.length === 0 && addresses.length === 0) return null;
  return { ...declared, ...(overrides.length > 0 ? { overrides } : {}), ...(addresses.length > 0 ? { addresses } : {}) };
}


/** A local `module` block of a file as the data that crosses to workers. */
export function callData(callerFile: string, call: LocalModuleCall): ModuleCallData {
  return { name: call.name, folder: calledFolder(callerFile, call.source), inputs: call.inputs };
}

/** The folder a local module source names, from the calling file. */
export function calledFolder(callerFile: string, source: string): string {
  return posix.normalize(posix.join(moduleOf({ file: callerFile }), source));
}

/**
 * The declarations every worker of a job needs: a folder's resources travel only when some file calls that folder
 * as a module (the other resources are evaluated where they are parsed).
 */
export function sharedDeclarations(declarations: readonly FileDeclarations[]): FileDeclarations[] {
  const called = new Set(declarations.flatMap((d) => (d.calls ?? []).map((call) => call.folder)));
  return declarations.map((d) => (d.resources && !called.has(moduleOf(d)) ? { ...d, resources: undefined } : d));
}

/** A job's declarations by module folder, indexed once however many files are evaluated against them. */
export function declarationsByFolder(declarations: readonly FileDeclarations[]): Map<string, FileDeclarations[]> {
  let index = folderIndexes.get(declarations);
  if (!index) folderIndexes.set(declarations, (index = byFolder(declarations)));
  return index;
}
const folderIndexes = new WeakMap<readonly FileDeclarations[], Map<string, FileDeclarations[]>>();

/** Files (or declarations) by their module folder. */
export function byFolder<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const folder = moduleOf(item);
    const list = out.get(folder);
    if (list) list.push(item);
    else out.set(folder, [item]);
  }
  return out;
}
