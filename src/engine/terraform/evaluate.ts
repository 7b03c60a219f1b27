// Terraform values as Terraform evaluates them, without running it: within one module (folder), `var.x` is the
// value its variable definitions files assign (src/formats/hcl-vars.ts), else its default, and `local.y` its
// expression, evaluated with the common functions (src/formats/hcl-eval.ts).
// Every `${…}` string of a resource body that becomes known is replaced by its value before the rules run; one that
// stays unknown (no default, a resource attribute, a data source) is left as it is, so no rule judges it.
import picomatch from 'picomatch';
import type { Edit, EditOp, ParsedFile, Path, Range, Resource } from '../../model.js';
import { evaluateHclString, FROM_DYNAMIC, resolveValue, type DynamicOrigin, type Scope } from '../../formats/hcl-eval.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { assignLiteral, varFileOf, type VarFile } from '../../formats/hcl-vars.js';
import { passedOn, type LocalModuleCall, type ModuleResourceData } from '../../formats/hcl-modules.js';
import { MODULE_LIMITS } from './module-files.js';
import { includedFile, type TerragruntInputs, type TerragruntUnit } from '../../formats/terragrunt.js';
import { posix } from 'node:path';
import { isRecord, pathKey, startsWith } from '../path.js';
import { moduleOf } from './references.js';
import { isOverrideFile } from '../../formats/terraform-overrides.js';
import { isShadowed, isTofuFile } from '../../formats/opentofu.js';
import { mergeOverrides, originalAddresses, overrideBlocks, type OverrideBlock } from './overrides.js';
import { declarationLines, type DeclarationLines } from './declaration-lines.js';
import { instanceGroups } from './instances.js';
import { rangeTouches } from '../../diff.js';
import { assignOwn, ownValue, setOwn } from '../../common/own-key.js';

/** Locals may refer to each other: evaluated in rounds until nothing changes (bounded: a cycle stays unknown). */
const MAX_LOCAL_ROUNDS = 8;

/** Where a resource's values were computed from expressions: a fix there would overwrite the expression. */
const computed = new WeakMap<Resource, Path[]>();

/** Whether `path` is, or is inside, a value Warden computed from an expression (a variable, a local, a function). */
export function isComputed(resource: Resource, path: Path): boolean {
  return (computed.get(resource) ?? []).some((p) => startsWith(path, p));
}

/** Replace, in place, the known `${…}` strings of an object (keeps the object identities the formats hold). */
function resolveInPlace(node: Record<string, unknown> | unknown[], scope: Scope, at: Path, found: Path[]): void {
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, value] of entries) {
    if (typeof value === 'string' && value.includes('${')) {
      const resolved = evaluateHclString(value, scope);
      if (resolved === value) continue;
      (node as Record<string | number, unknown>)[key] = resolved;
      found.push([...at, key]);
    } else if (Array.isArray(value) || isRecord(value)) resolveInPlace(value, scope, [...at, key], found);
  }
}

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

/** The variables' defaults and locals of an HCL file whose lines the change touched (none when unreadable). */
function changedDeclarationsOf(file: ParsedFile, changed: ReadonlySet<number> | null | undefined): ChangedDeclaration[] {
  if (!changed || changed.size === 0 || !/^[ \t]*(variable|locals)\b/m.test(file.text)) return [];
  let lines: DeclarationLines;
  try {
    lines = declarationLines(file.text);
  } catch {
    return []; // its readers are still reviewed as changed (touchedDeclarations); only not located here
  }
  const { variables, locals } = terraformDeclarations(file);
  const literal = (value: unknown) => !JSON.stringify(value ?? null).includes('${');
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
  // Terraform JSON gives the module nothing Warden evaluates but its blocks, which overrides merge into or are.
  if (file.format === 'tfjson') return overridesOf(file, changed, { file: file.file, variables: {}, locals: {} });
  if (file.format !== 'hcl') return null;
  const { variables, locals, localModules, terragrunt } = terraformDeclarations(file);
  const declared: FileDeclarations = { file: file.file, variables, locals, ...(terragrunt ? { terragrunt: { ...terragrunt.inputs, changed: changed ? [...changed] : null } } : {}) };
  const touched = changedDeclarationsOf(file, changed);
  if (touched.length > 0) declared.changedDeclarations = { text: file.text, declared: touched };
  const resources = file.resources.filter((r) => r.terraform?.block === 'resource').map(({ id, kind, terraform, format, body }) => ({ id, kind, terraform, format, body }));
  if (resources.length > 0) declared.resources = resources;
  if (localModules.length > 0) declared.calls = localModules.map((call) => callData(file.file, call));
  return overridesOf(file, changed, declared) ?? (Object.keys(variables).length + Object.keys(locals).length + resources.length + localModules.length > 0 || terragrunt ? declared : null);
}

/** `declared` with the file's override blocks and the addresses overrides may merge into; null when it has neither. */
function overridesOf(file: ParsedFile, changed: ReadonlySet<number> | null | undefined, declared: FileDeclarations): FileDeclarations | null {
  const overrides = overrideBlocks(file, changed);
  const addresses = originalAddresses(file);
  if (overrides.length === 0 && addresses.length === 0) return null;
  return { ...declared, ...(overrides.length > 0 ? { overrides } : {}), ...(addresses.length > 0 ? { addresses } : {}) };
}

/** A local `module` block of a file as the data that crosses to workers. */
function callData(callerFile: string, call: LocalModuleCall): ModuleCallData {
  return { name: call.name, folder: calledFolder(callerFile, call.source), inputs: call.inputs };
}

/** The folder a local module source names, from the calling file. */
function calledFolder(callerFile: string, source: string): string {
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
function orderedVarFiles(varFiles: readonly VarFile[], varFileGlobs: readonly string[]): VarFile[] {
  const rank = varFilePrecedence(varFileGlobs);
  return varFiles
    .flatMap((varFile) => {
      const r = rank(varFile.file);
      return r ? [{ varFile, r }] : [];
    })
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || (posix.basename(a.varFile.file) < posix.basename(b.varFile.file) ? -1 : 1))
    .map(({ varFile }) => varFile);
}

/** A job's declarations by module folder, indexed once however many files are evaluated against them. */
const folderIndexes = new WeakMap<readonly FileDeclarations[], Map<string, FileDeclarations[]>>();

function declarationsByFolder(declarations: readonly FileDeclarations[]): Map<string, FileDeclarations[]> {
  let index = folderIndexes.get(declarations);
  if (!index) {
    index = new Map();
    for (const d of declarations) {
      const folder = moduleOf(d);
      (index.get(folder) ?? index.set(folder, []).get(folder)!).push(d);
    }
    folderIndexes.set(declarations, index);
  }
  return index;
}

/**
 * Per module scope, by reference (`var.x`, `local.y`): where a value a finding should be reported at was given. The
 * definitions file that gave a variable its value; else the changed line of its default, or of a local.
 */
interface GivenAt {
  varFile: VarFile;
  /** Its key in `varFile.lines`. */
  name: string;
  /** A literal written there fixes the value (a definitions file's always does; an expression's would overwrite it). */
  fixable: boolean;
}
const assignedBy = new WeakMap<Scope, Record<string, GivenAt>>();

/**
 * The scope of each module folder (of each tool's view of it, where OpenTofu and Terraform load it otherwise:
 * toolViews): variables with the value their definitions files assign, else their default; locals evaluated. A
 * variable with neither stays unknown.
 */
export function moduleScopes(
  files: readonly ParsedFile[],
  others: readonly FileDeclarations[] = [],
  varFileGlobs: readonly string[] = [],
  changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined> = new Map(),
): { scopes: Map<string, Scope>; views: ToolViews } {
  const byFolder = new Map<string, { variables: Record<string, unknown>; locals: Record<string, unknown>; varFiles: VarFile[]; changed: FileDeclarations[] }>();
  const own = new Set(files.map((f) => f.file));
  // Only the folders these files are evaluated in and the folders they call as modules are asked for: a worker
  // evaluates one file at a time against a job's declarations, and reading all of them each time made a job
  // quadratic in its Terraform files.
  const folders = new Set<string>();
  for (const file of files) {
    if (file.format !== 'hcl') continue;
    folders.add(moduleOf(file));
    for (const call of terraformDeclarations(file).localModules) folders.add(calledFolder(file.file, call.source));
  }
  const index = declarationsByFolder(others);
  const all = [...files.flatMap((f) => fileDeclarations(f, changedOf.get(f.file)) ?? []), ...[...folders].flatMap((folder) => (index.get(folder) ?? []).filter((d) => !own.has(d.file)))].sort(overrideFilesLast);
  const views = toolViews([...own, ...all.map((d) => d.file)]);
  for (const declared of all) {
    for (const view of views.of(declared.file)) {
      const into = byFolder.get(view) ?? { variables: {}, locals: {}, varFiles: [], changed: [] };
      for (const [name, v] of Object.entries(declared.variables)) if ('default' in v && v.default !== null) setOwn(into.variables, name, v.default);
      assignOwn(into.locals, declared.locals);
      if (declared.varFile) into.varFiles.push(declared.varFile);
      if (declared.changedDeclarations) into.changed.push(declared);
      byFolder.set(view, into);
    }
  }
  const scopes = new Map<string, Scope>();
  const called = calledFolders(files, others);
  for (const [view, { variables, locals, varFiles, changed }] of byFolder) {
    const assigned: Record<string, GivenAt> = {};
    // Terraform reads definitions files for the root module only: a folder another calls as a module has its
    // defaults there (its own terraform.tfvars, often a module's example values, is not read).
    for (const varFile of called.has(folderOfView(view)) ? [] : orderedVarFiles(varFiles, varFileGlobs)) {
      for (const [name, value] of Object.entries(varFile.values)) {
        // `null` in a definitions file means "use the default" for a nullable variable: unknown to Warden otherwise.
        if (value === null) continue;
        setOwn(variables, name, value);
        assigned[`var.${name}`] = { varFile, name, fixable: true };
      }
    }
    // A changed default counts where no definitions file overrides it; a changed local always.
    for (const d of changed) {
      for (const { key, range, literal } of d.changedDeclarations!.declared) {
        if (assigned[key]) continue;
        assigned[key] = { varFile: { file: d.file, syntax: 'hcl', values: {}, lines: { [key]: range }, text: d.changedDeclarations!.text }, name: key, fixable: literal };
      }
    }
    const scope: Scope = { var: variables, local: {} };
    assignedBy.set(scope, assigned);
    localExpressions.set(scope, locals);
    for (let round = 0; round < MAX_LOCAL_ROUNDS; round++) {
      const next = Object.fromEntries(Object.entries(locals).map(([k, v]) => [k, resolveValue(v, scope)]));
      const stable = JSON.stringify(next) === JSON.stringify(scope.local);
      scope.local = next;
      if (stable) break;
    }
    scopes.set(view, scope);
  }
  return { scopes, views };
}

/** The key of a folder's scope as Terraform loads it, where that differs from OpenTofu's (keyed by the folder). */
const TERRAFORM_VIEW = '\0terraform';
const folderOfView = (view: string) => (view.endsWith(TERRAFORM_VIEW) ? view.slice(0, -TERRAFORM_VIEW.length) : view);

/**
 * A module folder as each tool loads it (src/formats/opentofu.ts): where it holds `x.tofu` and `x.tf`, OpenTofu
 * loads `x.tofu`, Terraform `x.tf` and no `.tofu` file. Warden cannot tell which tool deploys a folder (both write
 * `.terraform.lock.hcl`, both read `terraform` blocks), and a folder holding both is often meant for both, so it
 * judges both files, each in its own tool's scope: a shadowed `x.tf` as Terraform loads the folder, every other file
 * as OpenTofu does (a file both load is judged once, with the values OpenTofu gives it). `of`: the scopes a file's
 * declarations go to; `scopeOf`: the one its resources are evaluated in. A folder without a shadowed file has one
 * scope, keyed by the folder.
 */
interface ToolViews {
  of: (file: string) => string[];
  scopeOf: (file: string) => string;
}
function toolViews(paths: readonly string[]): ToolViews {
  const known = new Set(paths);
  const shadowed = (file: string) => isShadowed(file, (path) => known.has(path));
  const split = new Set(paths.filter(shadowed).map((file) => moduleOf({ file })));
  const of = (file: string): string[] => {
    const folder = moduleOf({ file });
    if (!split.has(folder)) return [folder];
    if (shadowed(file)) return [folder + TERRAFORM_VIEW];
    return isTofuFile(file) ? [folder] : [folder, folder + TERRAFORM_VIEW];
  };
  return { of, scopeOf: (file) => of(file)[0]! };
}

/** The folders some file calls as a local module: among `files`, and in a job's declarations. */
function calledFolders(files: readonly ParsedFile[], others: readonly FileDeclarations[]): Set<string> {
  let fromOthers = calledIn.get(others);
  if (!fromOthers) calledIn.set(others, (fromOthers = new Set(others.flatMap((d) => (d.calls ?? []).map((call) => call.folder)))));
  const called = new Set(fromOthers);
  for (const file of files) if (file.format === 'hcl') for (const call of terraformDeclarations(file).localModules) called.add(calledFolder(file.file, call.source));
  return called;
}
const calledIn = new WeakMap<readonly FileDeclarations[], Set<string>>();

/** Terraform applies override files after all the others, in the order of their names: their defaults and locals win. */
function overrideFilesLast(a: { file: string }, b: { file: string }): number {
  const [x, y] = [isOverrideFile(a.file), isOverrideFile(b.file)];
  if (x !== y) return x ? 1 : -1;
  return x && a.file !== b.file ? (a.file < b.file ? -1 : 1) : 0;
}

/**
 * Local module calls: the module folder's resources, with the caller's inputs, added to the calling file. The folder's
 * files are among those given, or were parsed elsewhere (a worker evaluates one file): then their declarations say.
 */
function buildLocalModules(files: readonly ParsedFile[], { scopes, views }: { scopes: ReadonlyMap<string, Scope>; views: ToolViews }, others: readonly FileDeclarations[]): void {
  const own = new Set(files.map((f) => f.file));
  const filesIn = byFolder(files.filter((f) => f.format === 'hcl'));
  const othersIn = othersByFolder(others);
  const resolverOf = (folder: string) => {
    const scope = scopes.get(folder) ?? { var: {}, local: {} };
    return (value: unknown) => resolveValue(value, scope);
  };
  // A module's resources as written (not those built from its own calls, which `passed` gives), as OpenTofu loads it
  // (its scope's view): a `.tf` file a `.tofu` one shadows is not of it.
  const writtenIn = (folder: string): ModuleResourceData[] => {
    const loaded = (path: string) => views.of(path).includes(folder);
    return [
      ...(filesIn.get(folder) ?? []).filter((f) => loaded(f.file)).flatMap((f) => f.resources.filter((r) => !calledModules.has(r))),
      ...(othersIn.get(folder) ?? []).filter((d) => !own.has(d.file) && loaded(d.file)).flatMap((d) => d.resources ?? []),
    ];
  };
  const callsIn = (folder: string): ModuleCallData[] => [
    ...(filesIn.get(folder) ?? []).flatMap((f) => terraformDeclarations(f).localModules.map((call) => callData(f.file, call))),
    ...(othersIn.get(folder) ?? []).filter((d) => !own.has(d.file)).flatMap((d) => d.calls ?? []),
  ];
  // What a module's own calls make of their modules with what it passes on to them (a module between a root and the
  // resources it deploys), as far as modules call modules, never into a module already on the way (a cycle, which
  // Terraform refuses anyway). Kept by folder and depth: a module many roots call is built once.
  const made = new Map<string, ModuleResourceData[]>();
  const passed = (folder: string, chain: readonly string[]): ModuleResourceData[] => {
    if (chain.length > MODULE_LIMITS.maxDepth) return [];
    const key = `${chain.length}\0${folder}`;
    let out = made.get(key);
    if (!out) {
      out = callsIn(folder).flatMap((call) => {
        if (chain.includes(call.folder)) return [];
        const inner = [...writtenIn(call.folder), ...passed(call.folder, [...chain, call.folder])];
        return passedOn(call, inner, resolverOf(call.folder));
      });
      made.set(key, out);
    }
    return out;
  };
  for (const file of files) {
    if (file.format !== 'hcl') continue;
    const unit = terraformDeclarations(file).terragrunt?.unit;
    const merged = unit ? mergedUnitInputs(file.file, unit, files, others) : undefined;
    const unitInputs = merged?.inputs;
    // What a unit builds is changed when any line that decides it is (its source, inputs, includes), or an input
    // given in another file (a definitions file Terraform reads where it runs), or any line of a configuration it
    // includes (an input there may take its value from a local, and Terragrunt merges more than inputs).
    const decidedBy = (made: Resource[]) => {
      if (!unit) return made;
      const elsewhere = Object.keys(unitInputs!).flatMap((name) => unit.site.inputOrigin?.(name) ?? []);
      const included = merged!.included.map((config) => ({ file: config.file, range: { startLine: 1, endLine: config.text.split('\n').length } }));
      for (const resource of made) resource.contributors = [...unit.lines.map((range) => ({ file: file.file, range })), ...elsewhere.map(({ file, range }) => ({ file, range })), ...included];
      return made;
    };
    if (unit?.registry && !built.has(unit)) {
      built.add(unit);
      file.resources.push(...decidedBy(unit.registry(unitInputs!)));
    }
    for (const call of terraformDeclarations(file).localModules) {
      if (built.has(call)) continue;
      built.add(call);
      const folder = calledFolder(file.file, call.source);
      if (folder === moduleOf(file)) continue; // a module calling itself is not followed
      const inModule = [...writtenIn(folder), ...passed(folder, [moduleOf(file), folder])];
      const made = call === unit?.call ? decidedBy(call.build(inModule, resolverOf(folder), unitInputs)) : call.build(inModule, resolverOf(folder));
      for (const resource of made) calledModules.set(resource, folder);
      file.resources.push(...made);
    }
  }
}
const built = new WeakSet<object>();

/** Files (or declarations) by their module folder. */
function byFolder<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const folder = moduleOf(item);
    const list = out.get(folder);
    if (list) list.push(item);
    else out.set(folder, [item]);
  }
  return out;
}

/** A job's declarations by folder: indexed once, however many of its files are evaluated with them. */
function othersByFolder(others: readonly FileDeclarations[]): Map<string, FileDeclarations[]> {
  let indexed = othersIndexed.get(others);
  if (!indexed) othersIndexed.set(others, (indexed = byFolder(others)));
  return indexed;
}
const othersIndexed = new WeakMap<readonly FileDeclarations[], Map<string, FileDeclarations[]>>();
const calledModules = new WeakMap<Resource, string>();

/** The module folder a resource built by a local module call comes from (src/engine/data-reads.ts). */
export function calledModuleOf(resource: Resource): string | undefined {
  return calledModules.get(resource);
}

/**
 * A Terragrunt unit's inputs merged as Terragrunt merges an include (shallowly): those of each configuration it
 * includes, then its own, which win. An included file is looked for among the Terragrunt configurations at hand (the
 * review reads the one each include names: src/module-context.ts terragruntParents, which fails closed on one it could
 * not read); its inputs are located there. `included`: the configurations found.
 */
function mergedUnitInputs(unitFile: string, unit: TerragruntUnit, files: readonly ParsedFile[], others: readonly FileDeclarations[]): { inputs: Record<string, unknown>; included: TerragruntInputs[] } {
  const configs = new Map<string, TerragruntInputs>();
  for (const f of files) {
    const config = terraformDeclarations(f).terragrunt?.inputs;
    if (config) configs.set(f.file, config);
  }
  for (const d of others) if (d.terragrunt && !configs.has(d.file)) configs.set(d.file, d.terragrunt);
  const inputs: Record<string, unknown> = {};
  const from = new Map<string, TerragruntInputs>();
  const included: TerragruntInputs[] = [];
  for (const include of unit.includes) {
    const path = includedFile(unitFile, include.target, (p) => configs.has(p));
    const parent = path === null ? undefined : configs.get(path);
    if (parent) included.push(parent);
    for (const [name, value] of Object.entries(parent?.inputs ?? {})) {
      setOwn(inputs, name, value);
      from.set(name, parent!);
    }
  }
  for (const [name, value] of Object.entries(unit.own.inputs)) {
    setOwn(inputs, name, value);
    from.delete(name);
  }
  // The inputs reach Terraform as `TF_VAR_` variables, which rank below the definitions files it reads itself.
  const fromVarFile = new Map<string, VarFile>();
  for (const varFile of workingDirVarFiles(unitFile, unit, files, others)) {
    for (const [name, value] of Object.entries(varFile.values)) {
      // `null` there: the variable's default, or null, as it is declared: unknown to Warden.
      setOwn(inputs, name, value === null ? `\${var.${name}}` : value);
      fromVarFile.set(name, varFile);
    }
  }
  unit.site.inputOrigin = (name) => {
    const varFile = fromVarFile.get(name);
    if (varFile) return varFile.lines[name] ? { file: varFile.file, range: varFile.lines[name], text: varFile.text } : undefined;
    const parent = from.get(name);
    const range = parent?.lines[name];
    return parent && range ? { file: parent.file, range, text: parent.text } : undefined;
  };
  return { inputs, included };
}

/**
 * The definitions files Terraform reads on its own where Terragrunt runs a unit's module, first to last: Terragrunt
 * runs it in a copy of the module's folder (a local source's) into which it copies the unit's folder too (a file of
 * the same name there replaces the module's), and Terraform reads `terraform.tfvars`, `terraform.tfvars.json` and
 * `*.auto.tfvars(.json)` there. Those of the review (src/module-context.ts terragruntParents reads them).
 */
function workingDirVarFiles(unitFile: string, unit: TerragruntUnit, files: readonly ParsedFile[], others: readonly FileDeclarations[]): VarFile[] {
  const folders = [...(unit.call ? [calledFolder(unitFile, unit.call.source)] : []), moduleOf({ file: unitFile })];
  const byName = new Map<string, VarFile>();
  const known = [...files.flatMap((f) => varFileOf(f) ?? []), ...others.flatMap((d) => d.varFile ?? [])];
  for (const folder of folders) {
    for (const varFile of known) if (moduleOf(varFile) === folder) byName.set(posix.basename(varFile.file), varFile);
  }
  return orderedVarFiles([...byName.values()], []);
}

/**
 * `dynamic "ingress" { for_each = …, content { … } }` whose `for_each` is known: the blocks it makes, appended to the
 * static ones (each marked with where it came from, so findings land in the dynamic block); one whose `for_each` is not
 * known stays, and rules leave it alone.
 */
function expandDynamic(body: Record<string, unknown>, scope: Scope, found: Path[]): void {
  const dynamic = body.dynamic;
  if (!isRecord(dynamic)) return;
  for (const [label, list] of Object.entries(dynamic)) {
    const entries = Array.isArray(list) ? list : [list];
    const kept: unknown[] = [];
    entries.forEach((entry, index) => {
      const content = isRecord(entry) ? (Array.isArray(entry.content) ? entry.content[0] : entry.content) : undefined;
      const items = isRecord(entry) ? entry.for_each : undefined;
      const pairs = Array.isArray(items) ? items.map((v, i) => [i, v] as const) : isRecord(items) ? Object.entries(items) : null;
      if (!isRecord(entry) || !isRecord(content) || !pairs || JSON.stringify(items).includes('${')) {
        kept.push(entry);
        return;
      }
      const iterator = typeof entry.iterator === 'string' ? (/^\$\{(\w+)\}$/.exec(entry.iterator)?.[1] ?? label) : label;
      const written = ownValue(body, label);
      const existing = written === undefined ? [] : Array.isArray(written) ? (written as unknown[]) : [written];
      for (const [key, value] of pairs) {
        const made = resolveValue(content, { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } }) as Record<string, unknown>;
        Object.defineProperty(made, FROM_DYNAMIC, { value: { label, index } satisfies DynamicOrigin, enumerable: false });
        existing.push(made);
        found.push([label, existing.length - 1]);
      }
      setOwn(body, label, existing);
    });
    if (kept.length > 0) dynamic[label] = kept;
    else delete dynamic[label];
  }
  if (Object.keys(dynamic).length === 0) delete body.dynamic;
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
function varFileValues(body: unknown, assigned: Record<string, GivenAt>, at: Path = [], out: VarFileValue[] = []): VarFileValue[] {
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
function locateAtVarFiles(resource: Resource, values: VarFileValue[]): void {
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
): { file: string; lines: Readonly<Record<string, Range>>; changed: ReadonlySet<number> }[] {
  const here = parsed.flatMap((file) => {
    const varFile = varFileOf(file);
    const changed = changedOf.get(file.file);
    return varFile && changed ? [{ file: file.file, lines: varFile.lines, changed }] : [];
  });
  const elsewhere = declarations.flatMap((d) => (d.varFile?.changed ? [{ file: d.file, lines: d.varFile.lines, changed: new Set(d.varFile.changed) }] : []));
  return [...here, ...elsewhere];
}

/** The lines the change touched in the Terragrunt configurations other threads parsed (units include them), for telling changed resources. */
export function terragruntChanges(declarations: readonly FileDeclarations[]): [string, ReadonlySet<number> | null][] {
  return declarations.flatMap((d) => (d.terragrunt ? [[d.file, d.terragrunt.changed ? new Set(d.terragrunt.changed) : null] as [string, ReadonlySet<number> | null]] : []));
}

/** The lines the change touched in the definitions files other threads parsed, for telling changed resources. */
export function varFileChanges(declarations: readonly FileDeclarations[]): [string, ReadonlySet<number> | null][] {
  return declarations.flatMap((d) => (d.varFile ? [[d.file, d.varFile.changed ? new Set(d.varFile.changed) : null] as [string, ReadonlySet<number> | null]] : []));
}

/** A module's locals as written, for telling which variables a resource reads through them. */
const localExpressions = new WeakMap<Scope, Record<string, unknown>>();
/** The variables and locals a resource reads, recorded before evaluation replaces their names by their values. */
const namesReadByResource = new WeakMap<Resource, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * The variables (`var.b`) and locals (`local.a`) of its module a resource reads, by name or through locals
 * (`local.a` whose expression reads `local.c` or `var.b`, however deep): recorded only in the modules
 * `evaluateTerraform` was asked to (`recordReads`).
 */
export function namesReadBy(resource: Resource): ReadonlySet<string> {
  return namesReadByResource.get(resource) ?? NONE;
}

function namesRead(body: unknown, locals: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const [, kind, name] of value.matchAll(/(?<![\w.])(var|local)\.([A-Za-z_][\w-]*)/g)) {
        const key = `${kind}.${name}`;
        if (names.has(key)) continue;
        names.add(key);
        if (kind === 'local') visit(ownValue(locals, name!));
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  visit(body);
  return names;
}

/**
 * Evaluate the Terraform resources of the parsed files in their module's scope (in place). `varFileGlobs`: the
 * definitions files named in the config, read after the automatic ones. `recordReads`: the modules where each
 * resource's variables and locals are recorded first (`namesReadBy`), as a change touched some (src/engine/data-reads.ts).
 */
export function evaluateTerraform(
  files: readonly ParsedFile[],
  others: readonly FileDeclarations[] = [],
  varFileGlobs: readonly string[] = [],
  recordReads: (module: string) => boolean = () => false,
  changedOf: ReadonlyMap<string, ReadonlySet<number> | null | undefined> = new Map(),
): void {
  // Override files first, as Terraform merges them before it evaluates anything (HCL and Terraform JSON alike).
  // What an override wrote is not written in the original's file: a fix there is shown, not offered.
  const overridden = mergeOverrides(files, others);
  for (const [resource, wrote] of overridden) computed.set(resource, wrote);
  const modules = moduleScopes(files, others, varFileGlobs, changedOf);
  buildLocalModules(files, modules, others);
  for (const file of files) {
    if (file.format !== 'hcl') continue;
    const scope = modules.scopes.get(modules.views.scopeOf(file.file)) ?? { var: {}, local: {} };
    const any = Object.keys(scope.var).length > 0 || Object.keys(scope.local).length > 0;
    const assigned = assignedBy.get(scope) ?? {};
    const record = recordReads(moduleOf(file));
    const instances: Resource[] = [];
    for (const written of file.resources) {
      const wrote = overridden.get(written) ?? [];
      // What it reads, as written (its `count` or `for_each` expression too): every instance reads the same.
      const reads = record ? namesRead(written.body, localExpressions.get(scope) ?? {}) : undefined;
      for (const { resource, iterators } of instanceGroups(written, scope)) {
        instances.push(resource);
        // Another group's resource comes from the same module call as the written one.
        const called = resource === written ? undefined : calledModules.get(written);
        if (called !== undefined) calledModules.set(resource, called);
        if (reads) namesReadByResource.set(resource, reads);
        // Whether Terraform creates the resource at all (`count = length([])`, `for_each = toset([])`) is evaluated
        // even in a module without variables or locals: a protection counts only when it surely exists.
        if (!any) for (const key of ['count', 'for_each']) if (typeof resource.body[key] === 'string') resource.body[key] = resolveValue(resource.body[key], scope);
        if (!any && !iterators && resource.body.dynamic === undefined) continue;
        const given = varFileValues(resource.body, assigned);
        const found: Path[] = [];
        const inScope = iterators ? { ...scope, iterators: { ...scope.iterators, ...iterators } } : scope;
        if (any || iterators) resolveInPlace(resource.body, inScope, [], found);
        // Blocks made from a dynamic block have no text of their own: a fix is shown, not offered.
        if (resource.terraform?.block === 'resource') expandDynamic(resource.body, inScope, found);
        // A value a definitions file gave is fixed there, not where it is used.
        const direct = new Set(given.map((v) => pathKey(v.path)));
        const expressions = found.filter((p) => !direct.has(pathKey(p)));
        if (expressions.length > 0) computed.set(resource, [...wrote, ...expressions]);
        if (given.length > 0) locateAtVarFiles(resource, given);
      }
    }
    file.resources.splice(0, file.resources.length, ...instances);
  }
}
