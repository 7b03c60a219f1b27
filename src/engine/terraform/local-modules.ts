// Local module calls: the called folder's resources, built with the caller's inputs, added to the calling file (as far
// as modules call modules), and which folders some file calls as a module.
import type { ParsedFile, Resource } from '../../model.js';
import { resolveValue, type Scope } from '../../formats/hcl-eval.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { passedOn, type ModuleResourceData } from '../../formats/hcl-modules.js';
import { MODULE_LIMITS } from './module-files.js';
import { moduleOf } from './references.js';
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

/**
 * Local module calls: the module folder's resources, with the caller's inputs, added to the calling file. The folder's
 * files are among those given, or were parsed elsewhere (a worker evaluates one file): then their declarations say.
 */
export function buildLocalModules(files: readonly ParsedFile[], { scopes, views }: { scopes: ReadonlyMap<string, Scope>; views: ToolViews }, others: readonly FileDeclarations[]): void {
  const own = new Set(files.map((f) => f.file));
  const filesIn = byFolder(files.filter((f) => f.format === 'hcl'));
  const othersIn = declarationsByFolder(others);
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
