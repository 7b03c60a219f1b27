// Terraform values as Terraform evaluates them, without running it: within one module (folder), `var.x` is the
// value its variable definitions files assign (src/formats/hcl-vars.ts), else its default, and `local.y` its
// expression, evaluated with the common functions (src/formats/hcl-eval.ts).
// Every `${…}` string of a resource body that becomes known is replaced by its value before the rules run; one that
// stays unknown (no default, a resource attribute, a data source) is left as it is, so no rule judges it.
// Beside it: ./file-declarations.ts (what crosses to workers), ./var-files.ts, ./terragrunt-units.ts,
// ./local-modules.ts, ./tool-views.ts, ./dynamic-blocks.ts, ./evaluated-manifests.ts.
import type { ParsedFile, Path, Resource } from '../../model.js';
import { emptyScope, evaluateHclString, resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { manifestToEvaluate, terraformDeclarations } from '../../formats/hcl.js';
import { dynamicExpansion } from '../../formats/dynamic-expansion.js';
import { expandDynamic, seeExpanded } from './dynamic-blocks.js';
import { seeManifest } from './evaluated-manifests.js';
import type { VarFile } from '../../formats/hcl-vars.js';
import { isOverrideFile } from '../../formats/terraform-overrides.js';
import { isRecord, pathKey, startsWith } from '../path.js';
import { assignOwn, ownValue, setOwn } from '../../common/own-key.js';
import { moduleOf, namesIn } from './references.js';
import { mergeOverrides } from './overrides.js';
import { instanceGroups } from './instances.js';
import { byFolder, calledFolder, declarationsByFolder, fileDeclarations, type FileDeclarations } from './file-declarations.js';
import { locateAtVarFiles, orderedVarFiles, varFileValues, type GivenAt } from './var-files.js';
import { buildLocalModules, calledFolders, copyCalledModule, foldersAround } from './local-modules.js';
import { folderOfView, toolViews, type ToolViews } from './tool-views.js';

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

/** Per module scope, by reference (`var.x`, `local.y`): where a value a finding should be reported at was given. */
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
  /** The files `file()` and `templatefile()` may read, by repository path (src/terraform-files.ts). */
  readFile?: (path: string) => string | undefined,
): { scopes: Map<string, Scope>; views: ToolViews; readFile?: (path: string) => string | undefined } {
  const own = new Set(files.map((f) => f.file));
  // Only the folders these files are evaluated in and the folders they call as modules are asked for: a worker
  // evaluates one file at a time against a job's declarations, and reading all of them each time made a job
  // quadratic in its Terraform files.
  const folders = new Set<string>();
  for (const file of files) {
    if (file.format !== 'hcl' && file.format !== 'tfjson') continue;
    folders.add(moduleOf(file));
    for (const call of terraformDeclarations(file).localModules) folders.add(calledFolder(file.file, call.source));
  }
  // And the modules that call theirs, or that theirs call further: whether a call there creates anything.
  for (const folder of foldersAround(files, others)) folders.add(folder);
  const ownDeclarations = files.flatMap((f) => fileDeclarations(f, changedOf.get(f.file)) ?? []);
  const ownPaths = byFolder(files);
  // By folder: how each tool loads it (its files here and the job's there), and the job's declarations there by view.
  // `whole`: the job's declarations hold every file of the folder given here, so its scopes are the job's own.
  const loaded = new Map<string, { views: ToolViews; job: Map<string, ViewDeclarations>; whole: boolean }>();
  for (const folder of new Set([...folders, ...ownPaths.keys()])) {
    const here = (ownPaths.get(folder) ?? []).map((f) => f.file);
    if (!folders.has(folder)) {
      loaded.set(folder, { views: toolViews(here), job: new Map(), whole: false });
      continue;
    }
    const prepared = jobFolder(others, folder);
    const unknown = here.filter((path) => !prepared.paths.has(path));
    if (unknown.length === 0) loaded.set(folder, { ...prepared, whole: true });
    else {
      // A file the job's declarations do not hold changes how the tools load its folder: grouped again for it.
      const views = toolViews([...prepared.paths, ...unknown]);
      loaded.set(folder, { views, job: byView(jobDeclarationsIn(others, folder), views), whole: false });
    }
  }
  const views: ToolViews = {
    of: (file) => {
      const folder = moduleOf({ file });
      return loaded.get(folder)?.views.of(file) ?? [folder];
    },
    scopeOf: (file) => views.of(file)[0]!,
  };
  // In the order Terraform merges them (override files last, by name), as the job's are grouped (ViewDeclarations).
  const ownByView = byView(ownDeclarations, views);
  const scopes = new Map<string, Scope>();
  const called = calledFolders(files, others);
  const scopeOf = (view: string, declarations: readonly FileDeclarations[]) => buildScope(view, merged(declarations), called.has(folderOfView(view)), varFileGlobs, readFile);
  for (const { job, whole } of loaded.values()) {
    for (const [view, declared] of job) {
      const mine = ownByView.get(view);
      ownByView.delete(view);
      if (!mine && declared.all.every((d) => own.has(d.file))) continue;
      // Each file of a folder is evaluated in its own call against the same job: the folder's scope is built once
      // (building it for each file made a job quadratic in the folder's files). The files given here are the job's:
      // their declarations are those the job holds, made from the same text.
      if (whole) {
        scopes.set(view, jobScope(others, view, { varFileGlobs, readFile }, () => scopeOf(view, [...declared.contributing, ...declared.overrides])));
        continue;
      }
      const notOwn = (d: FileDeclarations) => !own.has(d.file);
      const overrides = [...(mine?.overrides ?? []), ...declared.overrides.filter(notOwn)].sort(byName);
      scopes.set(view, scopeOf(view, [...(mine?.contributing ?? []), ...declared.contributing.filter(notOwn), ...overrides]));
    }
  }
  for (const [view, mine] of ownByView) scopes.set(view, scopeOf(view, [...mine.contributing, ...[...mine.overrides].sort(byName)]));
  return { scopes, views, ...(readFile ? { readFile } : {}) };
}

/** The scope of one view from what its declarations give: `called`, whether another module calls its folder. */
function buildScope(
  view: string,
  { variables, locals, varFiles, changed }: ReturnType<typeof merged>,
  called: boolean,
  varFileGlobs: readonly string[],
  readFile: ((path: string) => string | undefined) | undefined,
): Scope {
  const assigned: Record<string, GivenAt> = {};
  // Terraform reads definitions files for the root module only: a folder another calls as a module has its
  // defaults there (its own terraform.tfvars, often a module's example values, is not read).
  for (const varFile of called ? [] : orderedVarFiles(varFiles, varFileGlobs)) {
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
  const scope: Scope = { var: variables, local: {}, ...(readFile ? { files: { folder: folderOfView(view), read: readFile } } : {}) };
  assignedBy.set(scope, assigned);
  localExpressions.set(scope, locals);
  for (let round = 0; round < MAX_LOCAL_ROUNDS; round++) {
    const next = Object.fromEntries(Object.entries(locals).map(([k, v]) => [k, resolveValue(v, scope)]));
    const stable = JSON.stringify(next) === JSON.stringify(scope.local);
    scope.local = next;
    if (stable) break;
  }
  return scope;
}

/** What else a scope is built from besides the job's declarations: a cached one is reused only with the same. */
interface ScopeInputs {
  varFileGlobs: readonly string[];
  readFile: ((path: string) => string | undefined) | undefined;
}

/** A view's scope built from the job's declarations alone, once per job (nothing changes a scope once built). */
function jobScope(others: readonly FileDeclarations[], view: string, inputs: ScopeInputs, build: () => Scope): Scope {
  let byView = jobScopes.get(others);
  if (!byView) jobScopes.set(others, (byView = new Map()));
  const cached = byView.get(view);
  const same = cached && cached.inputs.readFile === inputs.readFile && cached.inputs.varFileGlobs.join('\0') === inputs.varFileGlobs.join('\0');
  if (same) return cached.scope;
  const scope = build();
  byView.set(view, { scope, inputs });
  return scope;
}
const jobScopes = new WeakMap<readonly FileDeclarations[], Map<string, { scope: Scope; inputs: ScopeInputs }>>();

/** A view's declarations, in the order Terraform merges them. */
interface ViewDeclarations {
  /** All of them (some file declares the view). */
  all: FileDeclarations[];
  /** Those of ordinary files that give the scope something, in their order. */
  contributing: FileDeclarations[];
  /** Those of override files, which apply after all the others in the order of their names. */
  overrides: FileDeclarations[];
}

/** Declarations by the views they go to: what a scope is merged from. */
function byView(declarations: readonly FileDeclarations[], views: ToolViews): Map<string, ViewDeclarations> {
  const out = new Map<string, ViewDeclarations>();
  for (const declared of declarations) {
    const override = isOverrideFile(declared.file);
    const contributes = override || declared.varFile || declared.changedDeclarations || Object.keys(declared.locals).length > 0 || Object.values(declared.variables).some((v) => 'default' in v && v.default !== null);
    for (const view of views.of(declared.file)) {
      const into = out.get(view) ?? { all: [], contributing: [], overrides: [] };
      into.all.push(declared);
      if (contributes) (override ? into.overrides : into.contributing).push(declared);
      out.set(view, into);
    }
  }
  for (const into of out.values()) into.overrides.sort(byName);
  return out;
}

/** What a view's declarations give its scope, later ones winning. */
function merged(declarations: readonly FileDeclarations[]): { variables: Record<string, unknown>; locals: Record<string, unknown>; varFiles: VarFile[]; changed: FileDeclarations[] } {
  const into = { variables: {} as Record<string, unknown>, locals: {} as Record<string, unknown>, varFiles: [] as VarFile[], changed: [] as FileDeclarations[] };
  for (const declared of declarations) {
    for (const [name, v] of Object.entries(declared.variables)) if ('default' in v && v.default !== null) setOwn(into.variables, name, v.default);
    assignOwn(into.locals, declared.locals);
    if (declared.varFile) into.varFiles.push(declared.varFile);
    if (declared.changedDeclarations) into.changed.push(declared);
  }
  return into;
}

/** The job's declarations of a folder, by its files' paths. */
function jobDeclarationsIn(others: readonly FileDeclarations[], folder: string): FileDeclarations[] {
  return declarationsByFolder(others).get(folder) ?? [];
}

/**
 * A folder of the job's declarations as the tools load it, prepared once per job: each of the folder's files is
 * evaluated against the same (grouping them for each made a job quadratic in a folder's files).
 */
function jobFolder(others: readonly FileDeclarations[], folder: string): { paths: ReadonlySet<string>; views: ToolViews; job: Map<string, ViewDeclarations> } {
  let byFolder = jobFolders.get(others);
  if (!byFolder) jobFolders.set(others, (byFolder = new Map()));
  let prepared = byFolder.get(folder);
  if (!prepared) {
    const declared = jobDeclarationsIn(others, folder);
    const paths = new Set(declared.map((d) => d.file));
    const views = toolViews([...paths]);
    byFolder.set(folder, (prepared = { paths, views, job: byView(declared, views) }));
  }
  return prepared;
}
const jobFolders = new WeakMap<readonly FileDeclarations[], Map<string, { paths: ReadonlySet<string>; views: ToolViews; job: Map<string, ViewDeclarations> }>>();

/** Override files apply in the order of their names. */
function byName(a: { file: string }, b: { file: string }): number {
  return a.file === b.file ? 0 : a.file < b.file ? -1 : 1;
}

/** Files whose evaluation saw some of what their parse said it could not (`ParsedFile.unseen` has lost it). */
const sawUnseen = new WeakSet<ParsedFile>();
export function evaluationSawUnseen(file: ParsedFile): boolean {
  return sawUnseen.has(file);
}

/** A module's locals as written, for telling which variables a resource reads through them. */
const localExpressions = new WeakMap<Scope, Record<string, unknown>>();
/** The variables and locals a resource reads, recorded before evaluation replaces their names by their values. */
const namesReadByResource = new WeakMap<Resource, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * The variables (`var.b`), locals (`local.a`), data blocks and files (`file:x.json`) of its module a resource reads,
 * by name or through locals (`local.a` whose expression reads `local.c` or `var.b`, however deep; references.ts
 * namesIn): recorded only in the modules
 * `evaluateTerraform` was asked to (`recordReads`).
 */
export function namesReadBy(resource: Resource): ReadonlySet<string> {
  return namesReadByResource.get(resource) ?? NONE;
}

function namesRead(body: unknown, locals: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    for (const name of namesIn(value)) {
      if (names.has(name)) continue;
      names.add(name);
      if (name.startsWith('local.')) visit(ownValue(locals, name.slice('local.'.length)));
    }
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
  readFile?: (path: string) => string | undefined,
): void {
  // Override files first, as Terraform merges them before it evaluates anything (HCL and Terraform JSON alike).
  // What an override wrote is not written in the original's file: a fix there is shown, not offered.
  const overridden = mergeOverrides(files, others);
  for (const [resource, wrote] of overridden) computed.set(resource, wrote);
  const modules = moduleScopes(files, others, varFileGlobs, changedOf, readFile);
  buildLocalModules(files, modules, others);
  for (const file of files) {
    if (file.format !== 'hcl' && file.format !== 'tfjson') continue;
    const scope = modules.scopes.get(modules.views.scopeOf(file.file)) ?? emptyScope(moduleOf(file), readFile);
    const any = Object.keys(scope.var).length > 0 || Object.keys(scope.local).length > 0 || scope.files !== undefined;
    const assigned = assignedBy.get(scope) ?? {};
    const record = recordReads(moduleOf(file));
    const instances: Resource[] = [];
    for (const written of file.resources) {
      const wrote = overridden.get(written) ?? [];
      // What it reads, as written (its `count` or `for_each` expression too): every instance reads the same.
      const reads = record ? namesRead(written.body, localExpressions.get(scope) ?? {}) : undefined;
      // A data block's dynamic blocks too: an `aws_iam_policy_document`'s `dynamic "statement"` is a statement like any other.
      const block = written.terraform?.block;
      // Terraform JSON's dynamic blocks are not expanded: a kubernetes_* object's stay not reviewed (src/formats/tfjson.ts).
      const expands = file.format === 'hcl' && (block === 'resource' || block === 'data');
      const expansion = expands ? dynamicExpansion(written) : undefined;
      const manifest = block === 'resource' ? manifestToEvaluate(written) : undefined;
      // Whether every instance's dynamic blocks were expanded, and its manifest known: what the file said it could
      // not see is seen then.
      let expanded = true;
      let manifestKnown = true;
      for (const { resource, iterators } of instanceGroups(written, scope)) {
        instances.push(resource);
        // Another group's resource comes from the same module call as the written one.
        if (resource !== written) copyCalledModule(written, resource);
        if (reads) namesReadByResource.set(resource, reads);
        // Whether Terraform creates the resource at all (`count = length([])`, `for_each = toset([])`) is evaluated
        // even in a module without variables or locals: a protection counts only when it surely exists.
        if (!any) for (const key of ['count', 'for_each']) if (typeof resource.body[key] === 'string') resource.body[key] = resolveValue(resource.body[key], scope);
        // Nothing to evaluate; a manifest is still asked whether it is known (it is not), so it stays unseen.
        if (!any && !iterators && !expansion && !manifest && resource.body.dynamic === undefined) continue;
        const found: Path[] = [];
        const inScope = iterators ? { ...scope, iterators: { ...scope.iterators, ...iterators } } : scope;
        // Blocks made from a dynamic block have no text of their own: a fix is shown, not offered.
        if (expansion) expanded &&= seeExpanded(resource, expansion, inScope, found);
        // One the file recorded no expansion for (a dynamic block an override file merged in): expanded in place, located as parsed.
        else if (expands) expandDynamic(resource.body, inScope, found);
        const given = varFileValues(resource.body, assigned);
        if (any || iterators) resolveInPlace(resource.body, inScope, [], found);
        if (manifest) manifestKnown &&= seeManifest(resource, manifest, inScope, found);
        // A value a definitions file gave is fixed there, not where it is used.
        const direct = new Set(given.map((v) => pathKey(v.path)));
        const expressions = found.filter((p) => !direct.has(pathKey(p)));
        if (expressions.length > 0) computed.set(resource, [...wrote, ...expressions]);
        if (given.length > 0) locateAtVarFiles(resource, given);
      }
      const withdrawn = [...((expanded && expansion?.unseen) || []), ...((manifestKnown && manifest?.unseen) || [])];
      if (withdrawn.length > 0 && file.unseen) {
        file.unseen = file.unseen.filter((part) => !withdrawn.includes(part));
        sawUnseen.add(file);
      }
    }
    file.resources.splice(0, file.resources.length, ...instances);
  }
}
