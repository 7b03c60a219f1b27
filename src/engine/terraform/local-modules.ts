// Local module calls: the called folder's resources, built with the caller's inputs, added to the calling file (as far
// as modules call modules), which folders some file calls as a module, and which modules their calls never create.
import type { ModuleCalls, ParsedFile, Resource } from '../../model.js';
import { emptyScope, resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { passedOn, type ModuleResourceData } from '../../formats/hcl-modules.js';
import { MODULE_LIMITS } from './module-files.js';
import { instances, moduleOf } from './references.js';
import { byFolder, callData, calledFolder, declarationsByFolder, type FileDeclarations, type ModuleCallData } from './file-declarations.js';
import { mergedUnitInputs } from './terragrunt-units.js';
import type { ToolViews } from './tool-views.js';

/** Whether some file calls a folder as a local module: among `files`, or in a job's declarations (not copied for each file). */
export function calledFolders(files: readonly ParsedFile[], others: readonly FileDeclarations[]): { has: (folder: string) => boolean } {
  let fromOthers = calledIn.get(others);
  if (!fromOthers) calledIn.set(others, (fromOthers = new Set(others.flatMap((d) => (d.calls ?? []).map((call) => call.folder)))));
  const job = fromOthers;
  const here = new Set<string>();
  for (const file of files) if (file.format === 'hcl') for (const call of terraformDeclarations(file).localModules) here.add(calledFolder(file.file, call.source));
  return { has: (folder) => job.has(folder) || here.has(folder) };
}
const calledIn = new WeakMap<readonly FileDeclarations[], Set<string>>();

/** A local `module` block, with the file it is written in. */
type CallIn = ModuleCallData & { file: string };

/** The local module calls of `files` and of a job's declarations (a file given wins over its declarations): by the folder each calls, and by the folder it is written in. */
function callGraph(files: readonly ParsedFile[], others: readonly FileDeclarations[]): { into: Map<string, CallIn[]>; from: Map<string, CallIn[]> } {
  const own = new Set(files.map((f) => f.file));
  let fromOthers = callsOfOthers.get(others);
  if (!fromOthers) callsOfOthers.set(others, (fromOthers = others.flatMap((d) => (d.calls ?? []).map((call) => ({ ...call, file: d.file })))));
  const calls = [
    ...fromOthers.filter((call) => !own.has(call.file)),
    ...files.flatMap((f) => (f.format === 'hcl' ? terraformDeclarations(f).localModules.map((call) => ({ ...callData(f.file, call), file: f.file })) : [])),
  ];
  const into = new Map<string, CallIn[]>();
  const from = new Map<string, CallIn[]>();
  for (const call of calls) {
    for (const [index, key] of [[into, call.folder], [from, moduleOf(call)]] as const) {
      const list = index.get(key);
      if (list) list.push(call);
      else index.set(key, [call]);
    }
  }
  return { into, from };
}
const callsOfOthers = new WeakMap<readonly FileDeclarations[], CallIn[]>();

/**
 * The module folders whose scopes evaluating `files` takes, besides their own: those that call theirs (whether a call
 * creates their module at all), and those their own call in turn (what a call there passes on, whether it creates
 * anything), as far as modules call modules.
 */
export function foldersAround(files: readonly ParsedFile[], others: readonly FileDeclarations[]): Set<string> {
  const { into, from } = callGraph(files, others);
  const found = new Set<string>();
  for (const [index, next] of [[into, (call: CallIn) => moduleOf(call)], [from, (call: CallIn) => call.folder]] as const) {
    let frontier = new Set(files.map((f) => moduleOf(f)));
    for (let depth = 0; depth <= MODULE_LIMITS.maxDepth && frontier.size > 0; depth++) {
      const reached = new Set([...frontier].flatMap((folder) => (index.get(folder) ?? []).map(next)).filter((folder) => !found.has(folder)));
      for (const folder of reached) found.add(folder);
      frontier = reached;
    }
  }
  return found;
}

/** How many instances a call makes of its module: its `count` and `for_each` evaluated in the calling module's scope. */
function callInstances(inputs: Record<string, unknown>, scope: Scope): ReturnType<typeof instances> {
  return instances({ body: { count: resolveValue(inputs.count, scope), for_each: resolveValue(inputs.for_each, scope) } });
}

/** The calls that decide, of one call making `made` instances (none: it surely makes some). */
function markOf(made: ReturnType<typeof instances>, call: { file: string; name: string }): ModuleCalls | undefined {
  return made === 'some' ? undefined : { instances: made, calls: [{ file: call.file, name: call.name }] };
}

/** Created through both (a call of a module that a call on the way creates): the fewer instances, and what decides either. */
function through(a: ModuleCalls | undefined, b: ModuleCalls | undefined): ModuleCalls | undefined {
  if (!a || !b) return a ?? b;
  return { instances: a.instances === 'none' || b.instances === 'none' ? 'none' : 'unknown', calls: unionOfCalls(a, b) };
}

/** Created through either (two calls of one module): the more instances, and what decides both. */
function eitherOf(a: ModuleCalls, b: ModuleCalls): ModuleCalls {
  return { instances: a.instances === 'unknown' || b.instances === 'unknown' ? 'unknown' : 'none', calls: unionOfCalls(a, b) };
}

function unionOfCalls(a: ModuleCalls, b: ModuleCalls): ModuleCalls['calls'] {
  const calls = [...a.calls];
  for (const call of b.calls) if (!calls.some((c) => c.file === call.file && c.name === call.name)) calls.push(call);
  return calls;
}

/** `resource` as created through `calls` too. */
function markCreatedThrough(resource: Pick<Resource, 'terraform'>, calls: ModuleCalls | undefined): void {
  const joined = calls && resource.terraform ? through(resource.terraform.calls, calls) : undefined;
  if (joined) resource.terraform = { ...resource.terraform!, calls: joined };
}

/**
 * Local module calls: the module folder's resources, with the caller's inputs, added to the calling file. The folder's
 * files are among those given, or were parsed elsewhere (a worker evaluates one file): then their declarations say.
 */
export function buildLocalModules(files: readonly ParsedFile[], { scopes, views, readFile }: { scopes: ReadonlyMap<string, Scope>; views: ToolViews; readFile?: (path: string) => string | undefined }, others: readonly FileDeclarations[]): void {
  const own = new Set(files.map((f) => f.file));
  const filesIn = byFolder(files.filter((f) => f.format === 'hcl' || f.format === 'tfjson'));
  const othersIn = declarationsByFolder(others);
  const resolverOf = (folder: string) => {
    const scope = scopes.get(folder) ?? emptyScope(folder, readFile);
    return (value: unknown, inputs?: Record<string, unknown>) => resolveValue(value, inputs ? { ...scope, var: { ...scope.var, ...inputs } } : scope);
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
  const graph = callGraph(files, others);
  const scopeOfFile = (file: string) => scopes.get(views.scopeOf(file)) ?? { var: {}, local: {} };
  // What a module's own calls make of their modules with what it passes on to them (a module between a root and the
  // resources it deploys), as far as modules call modules, never into a module already on the way (a cycle, which
  // Terraform refuses anyway). Kept by folder and depth: a module many roots call is built once.
  const made = new Map<string, ModuleResourceData[]>();
  const passed = (folder: string, chain: readonly string[]): ModuleResourceData[] => {
    if (chain.length > MODULE_LIMITS.maxDepth) return [];
    const key = `${chain.length}\0${folder}`;
    let out = made.get(key);
    if (!out) {
      out = (graph.from.get(folder) ?? []).flatMap((call) => {
        if (chain.includes(call.folder)) return [];
        const inner = [...writtenIn(call.folder), ...passed(call.folder, [...chain, call.folder])];
        const passedThrough = passedOn(call, inner, resolverOf(call.folder));
        // What a call there does not surely create, the calls of its module do not either.
        const mark = markOf(callInstances(call.inputs, scopeOfFile(call.file)), call);
        for (const resource of passedThrough) markCreatedThrough(resource, mark);
        return passedThrough;
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
      const mark = markOf(callInstances(call.inputs, scopeOfFile(file.file)), { file: file.file, name: call.name });
      for (const resource of made) {
        calledModules.set(resource, folder);
        markCreatedThrough(resource, mark);
      }
      file.resources.push(...made);
    }
  }
  // A module's own resources, as written and as its calls build them, are created only through the calls of it: a
  // protection there protects nothing where none of them surely creates the module.
  const markOfFolder = moduleMarks(graph.into, scopeOfFile);
  for (const file of files) {
    if (file.format !== 'hcl' && file.format !== 'tfjson') continue;
    const mark = markOfFolder(moduleOf(file));
    if (mark) for (const resource of file.resources) markCreatedThrough(resource, mark);
  }
}

/**
 * Of each module folder, the calls it is created through when they surely create no instance of it or may create
 * none, as far as modules call modules (a call of a module that a call makes none of makes none). A folder no known
 * file calls is a root: created.
 */
function moduleMarks(callsInto: ReadonlyMap<string, readonly CallIn[]>, scopeOfFile: (file: string) => Scope): (folder: string) => ModuleCalls | undefined {
  const known = new Map<string, ModuleCalls | undefined>();
  const markOfFolder = (folder: string, chain: readonly string[]): ModuleCalls | undefined => {
    const key = `${chain.length}\0${folder}`;
    if (known.has(key)) return known.get(key);
    let found: ModuleCalls | undefined | null = null;
    for (const call of callsInto.get(folder) ?? []) {
      const caller = moduleOf(call);
      // A cycle (which Terraform refuses) or calls deeper than Warden follows say nothing.
      if (caller === folder || chain.includes(caller)) continue;
      if (chain.length > MODULE_LIMITS.maxDepth) {
        found = undefined;
        break;
      }
      const mark = through(markOfFolder(caller, [...chain, folder]), markOf(callInstances(call.inputs, scopeOfFile(call.file)), call));
      if (!mark) {
        found = undefined; // this call surely creates it
        break;
      }
      found = found ? eitherOf(found, mark) : mark;
    }
    known.set(key, found ?? undefined);
    return found ?? undefined;
  };
  return (folder) => markOfFolder(folder, []);
}
const built = new WeakSet<object>();

const calledModules = new WeakMap<Resource, string>();

/** The module folder a resource built by a local module call comes from (src/engine/data-reads.ts). */
export function calledModuleOf(resource: Resource): string | undefined {
  return calledModules.get(resource);
}

/** An instance of a resource a local module call built (its `count`, `for_each`) comes from the same call. */
export function copyCalledModule(written: Resource, instance: Resource): void {
  const folder = calledModules.get(written);
  if (folder !== undefined) calledModules.set(instance, folder);
}
