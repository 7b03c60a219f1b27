// Terraform values as Terraform evaluates them, without running it: within one module (folder), `var.x` is the
// variable's default and `local.y` its expression, evaluated with the common functions (src/formats/hcl-eval.ts).
// Every `${…}` string of a resource body that becomes known is replaced by its value before the rules run; one that
// stays unknown (no default, a resource attribute, a data source) is left as it is, so no rule judges it.
import type { ParsedFile, Path, Resource } from '../../model.js';
import { evaluateHclString, FROM_DYNAMIC, type DynamicOrigin, type Scope } from '../../formats/hcl-eval.js';
import { terraformDeclarations } from '../../formats/hcl.js';
import { posix } from 'node:path';
import { isRecord, startsWith } from '../path.js';
import { moduleOf } from './references.js';

/** Locals may refer to each other: evaluated in rounds until nothing changes (bounded: a cycle stays unknown). */
const MAX_LOCAL_ROUNDS = 8;

function resolveValue(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return value.includes('${') ? evaluateHclString(value, scope) : value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope)]));
  return value;
}

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
}

/** The declarations of a parsed file, as plain data (none for other formats). */
export function fileDeclarations(file: ParsedFile): FileDeclarations | null {
  if (file.format !== 'hcl') return null;
  const { variables, locals } = terraformDeclarations(file);
  return Object.keys(variables).length + Object.keys(locals).length > 0 ? { file: file.file, variables, locals } : null;
}

/** The scope of each module folder: variables with a default, locals evaluated. */
export function moduleScopes(files: readonly ParsedFile[], others: readonly FileDeclarations[] = []): Map<string, Scope> {
  const byFolder = new Map<string, { variables: Record<string, unknown>; locals: Record<string, unknown> }>();
  const own = new Set(files.map((f) => f.file));
  const all = [...files.flatMap((f) => fileDeclarations(f) ?? []), ...others.filter((d) => !own.has(d.file))];
  for (const declared of all) {
    const folder = moduleOf(declared);
    const into = byFolder.get(folder) ?? { variables: {}, locals: {} };
    for (const [name, v] of Object.entries(declared.variables)) if ('default' in v && v.default !== null) into.variables[name] = v.default;
    Object.assign(into.locals, declared.locals);
    byFolder.set(folder, into);
  }
  const scopes = new Map<string, Scope>();
  for (const [folder, { variables, locals }] of byFolder) {
    const scope: Scope = { var: variables, local: {} };
    for (let round = 0; round < MAX_LOCAL_ROUNDS; round++) {
      const next = Object.fromEntries(Object.entries(locals).map(([k, v]) => [k, resolveValue(v, scope)]));
      const stable = JSON.stringify(next) === JSON.stringify(scope.local);
      scope.local = next;
      if (stable) break;
    }
    scopes.set(folder, scope);
  }
  return scopes;
}

/** Local module calls: the module folder's resources, with the caller's inputs, added to the calling file. */
function buildLocalModules(files: readonly ParsedFile[], scopes: ReadonlyMap<string, Scope>): void {
  for (const file of files) {
    if (file.format !== 'hcl') continue;
    for (const call of terraformDeclarations(file).localModules) {
      if (built.has(call)) continue;
      built.add(call);
      const folder = posix.normalize(posix.join(moduleOf(file), call.source));
      if (folder === moduleOf(file)) continue; // a module calling itself is not followed
      const inModule = files.filter((f) => f.format === 'hcl' && moduleOf(f) === folder).flatMap((f) => f.resources);
      const scope = scopes.get(folder) ?? { var: {}, local: {} };
      file.resources.push(...call.build(inModule, (value) => resolveValue(value, scope)));
    }
  }
}
const built = new WeakSet<object>();

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
      const existing = body[label] === undefined ? [] : Array.isArray(body[label]) ? (body[label] as unknown[]) : [body[label]];
      for (const [key, value] of pairs) {
        const made = resolveValue(content, { ...scope, iterators: { ...scope.iterators, [iterator]: { key, value } } }) as Record<string, unknown>;
        Object.defineProperty(made, FROM_DYNAMIC, { value: { label, index } satisfies DynamicOrigin, enumerable: false });
        existing.push(made);
        found.push([label, existing.length - 1]);
      }
      body[label] = existing;
    });
    if (kept.length > 0) dynamic[label] = kept;
    else delete dynamic[label];
  }
  if (Object.keys(dynamic).length === 0) delete body.dynamic;
}

/** Evaluate the Terraform resources of the parsed files in their module's scope (in place). */
export function evaluateTerraform(files: readonly ParsedFile[], others: readonly FileDeclarations[] = []): void {
  const scopes = moduleScopes(files, others);
  buildLocalModules(files, scopes);
  for (const file of files) {
    if (file.format !== 'hcl') continue;
    const scope = scopes.get(moduleOf(file)) ?? { var: {}, local: {} };
    const any = Object.keys(scope.var).length > 0 || Object.keys(scope.local).length > 0;
    for (const resource of file.resources) {
      if (!any && resource.body.dynamic === undefined) continue;
      const found: Path[] = [];
      if (any) resolveInPlace(resource.body, scope, [], found);
      // Blocks made from a dynamic block have no text of their own: a fix is shown, not offered.
      if (resource.terraform?.block === 'resource') expandDynamic(resource.body, scope, found);
      if (found.length > 0) computed.set(resource, found);
    }
  }
}
