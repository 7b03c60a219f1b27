// Well-known registry modules, never downloaded: a `module` block whose source is in the table (rules/registry-modules.ts)
// becomes the resources the module would create, their settings taken from the block's inputs (or the module's defaults).
// Each setting is located at the input that gave it, so a finding lands on the argument in the `module` block and a
// fix edits that argument; a setting from a default is located at the block itself.
import type { EditOp, Path, Range, Resource } from '../model.js';
import { isRecord, startsWith } from '../common/path.js';
import { FILE_BODY, follow, onTree, rangeInEmbeddedJson, rangeOfNode, topBlock, type HeldTree, type TsNode } from './hcl-tree.js';
import { applyHclOp } from './hcl-write.js';
import type { TfSeg } from './paths.js';

/** One setting of a created resource and the module input it comes from. */
export interface InputMapping {
  /** Where the resource holds it (native path: attribute names and block indices). */
  path: Path;
  /** The module input (and keys inside an object input) that sets it; `{each}` in an `each` resource is the item index. */
  input: readonly (string | number | '{each}')[];
  /**
   * The setting is an expression of the input (`!var.public`), not the input itself: a finding is reported at the
   * argument, and its fix is shown, never written there (the argument's value is not the setting's).
   */
  derived?: true;
}

export interface ModuleResource {
  type: string;
  name: string;
  inputs: readonly InputMapping[];
  /** Settings the module always writes; `{self:type.name}` is the address of another resource of the same module. */
  fixed?: Record<string, unknown>;
  /** Created only when this boolean input (or its default) is true. */
  when?: string;
  /** One instance per item of this list input. */
  each?: string;
}

export interface RegistryModule {
  /** Registry source without version or submodule suffix unless it names one: `terraform-aws-modules/s3-bucket/aws`. */
  source: string;
  /** Inputs' defaults in the module version the table was written from (`version`); null: the setting is left to the provider. */
  defaults: Record<string, unknown>;
  version: string;
  /** Defaults of older major versions, when they differ: used when the block's `version` pins one below `major`. */
  before?: { major: number; defaults: Record<string, unknown> };
  resources: readonly ModuleResource[];
}

/** `"~> 3.7"`, `"3.7.0"`, `">= 3, < 4"`: the first major version named, or null (no pin: the latest). */
export function pinnedMajor(version: unknown): number | null {
  if (typeof version !== 'string') return null;
  const match = /(\d+)(?:\.\d+)*/.exec(version);
  return match ? Number(match[1]) : null;
}

/** The table entry for a `source`, ignoring a `?ref=` and host prefix; submodules (`//modules/x`) must match exactly. */
export function registryModule(table: readonly RegistryModule[], source: unknown): RegistryModule | undefined {
  if (typeof source !== 'string') return undefined;
  const bare = source.replace(/^registry\.terraform\.io\//, '').replace(/\?.*$/, '').replace(/\/$/, '');
  return table.find((m) => m.source === bare);
}

const isInterpolated = (v: unknown) => typeof v === 'string' && v.includes('${');

function setIn(target: Record<string, unknown>, path: Path, value: unknown): void {
  let cur: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const existing = (cur as Record<string | number, unknown>)[seg];
    if (existing === undefined || existing === null || typeof existing !== 'object') {
      const made: Record<string, unknown> | unknown[] = nextIsIndex ? [] : {};
      (cur as Record<string | number, unknown>)[seg] = made;
      cur = made;
    } else cur = existing as Record<string, unknown> | unknown[];
  }
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

function inputValue(inputs: Record<string, unknown>, path: readonly (string | number)[]): unknown {
  let cur: unknown = inputs;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isRecord(cur) && typeof seg === 'string') cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** The module input path of a resource path, and whether the rest of the path (inside the input) could be followed. */
function inputPathOf(mappings: readonly InputMapping[], path: Path, item: number): (string | number)[] | null {
  let best: InputMapping | undefined;
  for (const m of mappings) if (startsWith(path, m.path) && (!best || m.path.length > best.path.length)) best = m;
  const concrete = (m: InputMapping) => m.input.map((seg) => (seg === '{each}' ? item : seg));
  if (best) return best.derived ? concrete(best) : [...concrete(best), ...path.slice(best.path.length)];
  // A parent of a mapped setting: the top-level input that holds the setting.
  const child = mappings.find((m) => startsWith(m.path, path));
  return child ? concrete(child).slice(0, 1) : null;
}

/**
 * Where a call of a module is written: a `module` block, whose arguments are its inputs; or a Terragrunt unit
 * (`terragrunt: true`, src/formats/terragrunt.ts), whose inputs are the keys of the file's `inputs` attribute.
 */
export interface CallSite {
  file: string;
  text: string;
  held: HeldTree;
  range: Range;
  terragrunt?: boolean;
  /**
   * Inputs written in another file (a configuration the Terragrunt unit includes): where each is, set before the
   * call is built. A finding on such an input is reported there; its fix is shown, not offered.
   */
  inputOrigin?: (input: string) => { file: string; range: Range; text: string } | undefined;
}

/** The block an input is followed from: the `module` block, or the unit file's body. */
function callBlock(where: CallSite, moduleName: string): { type: string; labels: string[] } {
  return where.terragrunt ? { type: FILE_BODY, labels: [] } : { type: 'module', labels: [moduleName] };
}

function segsOf(input: readonly (string | number)[], where: CallSite): TfSeg[] {
  const segs: TfSeg[] = input.map((seg, i) => (i === 0 ? { attr: String(seg) } : typeof seg === 'number' ? { item: seg } : { key: seg }));
  return where.terragrunt ? [{ attr: 'inputs' }, ...segs.map((seg) => ('attr' in seg ? { key: seg.attr } : seg))] : segs;
}

/**
 * The resources a registry module block creates. `inputs` are the block's attributes (hcl2json values); `block` finds
 * the module block in the file's tree.
 */
export function moduleResources(
  entry: RegistryModule,
  moduleName: string,
  inputs: Record<string, unknown>,
  where: CallSite,
): Resource[] {
  const major = pinnedMajor(inputs.version);
  const defaults = entry.before && major !== null && major < entry.before.major ? { ...entry.defaults, ...entry.before.defaults } : entry.defaults;
  const given = (name: string) => (inputs[name] !== undefined ? inputs[name] : defaults[name]);
  const out: Resource[] = [];
  const address = (type: string, name: string) => `module.${moduleName}.${type}.${name}`;
  for (const spec of entry.resources) {
    if (spec.when !== undefined) {
      const on = given(spec.when);
      if (on === false || on === 'false' || isInterpolated(on)) continue; // off, or unknown: nothing is judged
    }
    let items = [0];
    if (spec.each !== undefined) {
      const list = given(spec.each);
      if (!Array.isArray(list)) continue;
      items = list.map((_, i) => i);
    }
    for (const item of items) {
      const body: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(spec.fixed ?? {})) {
        body[key] = typeof value === 'string' ? value.replace(/\{self:([\w]+)\.([\w]+)\}/g, (_, t: string, n: string) => `${t}.${terraformName(moduleName, n)}`) : value;
      }
      for (const m of spec.inputs) {
        const path = m.input.map((seg) => (seg === '{each}' ? item : seg));
        let value = inputValue(inputs, path);
        if (value === undefined && path.length === 1) value = defaults[String(path[0])];
        if (value === undefined || value === null) continue;
        setIn(body, m.path, value);
      }
      const id = spec.each !== undefined ? `${address(spec.type, spec.name)}[${item}]` : address(spec.type, spec.name);
      out.push(moduleResource(spec, moduleName, item, id, body, where));
    }
  }
  return out;
}

/** The name a created resource carries: unique per module block, never a name the caller's own resources can use. */
function terraformName(moduleName: string, name: string): string {
  return `module.${moduleName}.${name}`;
}

function moduleResource(
  spec: ModuleResource,
  moduleName: string,
  item: number,
  id: string,
  body: Record<string, unknown>,
  where: CallSite,
): Resource {
  const { file, text, held, range } = where;
  const call = callBlock(where, moduleName);
  const inModule = <T>(current: string, use: (block: TsNode, root: TsNode) => T, fallback: T): T =>
    onTree(held, text, current, (root) => {
      const block = topBlock(root, call.type, call.labels);
      return block ? use(block, root) : fallback;
    });
  return {
    id,
    kind: spec.type,
    name: `module.${moduleName}`,
    terraform: { block: 'module', type: spec.type, name: terraformName(moduleName, spec.name) },
    file,
    format: 'hcl',
    range,
    body,
    source: {
      locate: (path) => {
        if (path.length === 0) return { ...range, exact: true };
        const input = inputPathOf(spec.inputs, path, item);
        if (!input) return { ...range, exact: false };
        const derived = spec.inputs.some((m) => m.derived && startsWith(path, m.path));
        const elsewhere = where.inputOrigin?.(String(input[0]));
        if (elsewhere) return { ...elsewhere.range, exact: input.length === 1 && !derived, origin: { file: elsewhere.file, resource: 'inputs', path: input, text: elsewhere.text } };
        return inModule(text, (block) => {
          const segs = segsOf(input, where);
          const { node, depth } = follow(block, segs);
          const embedded = depth < segs.length && depth > 0 ? rangeInEmbeddedJson(node, segs.slice(depth)) : null;
          if (embedded) return { ...embedded, exact: true };
          // Set by a default: the block is where the argument goes.
          return { ...rangeOfNode(node), exact: depth === segs.length && depth > 0 && !derived };
        }, { ...range, exact: false });
      },
      apply: (current, ops: readonly EditOp[]) => {
        // Every op must land on an input of the block; otherwise nothing is written (the fix is shown, not offered).
        const mapped = ops.map((op) => {
          const input = inputPathOf(spec.inputs, op.path, item);
          const exact = input && spec.inputs.some((m) => startsWith(op.path, m.path) && !m.derived) && !where.inputOrigin?.(String(input[0]));
          return exact ? { op, segs: segsOf(input, where) } : null;
        });
        if (mapped.some((m) => m === null)) return current;
        let acc = current;
        for (const m of mapped) {
          const before = acc;
          acc = inModule(before, (_, root) => applyHclOp(before, root, call.type, call.labels, m!.segs, m!.op), before);
        }
        return acc;
      },
    },
  };
}

// ---- local modules (`source = "./modules/bucket"`) ----

/** What a module folder's resource contributes to a call of the module: plain data, so it crosses to workers. */
export type ModuleResourceData = Pick<Resource, 'id' | 'kind' | 'terraform' | 'format' | 'body'>;

/** A `module` block whose source is a folder of the repository: its resources are built once the folder is parsed. */
export interface LocalModuleCall {
  name: string;
  /** The `source` as written (`./modules/bucket`). */
  source: string;
  /** Its inputs as written (expressions as `${…}`): what a call of its module passes on through it (`passedOn`). */
  inputs: Record<string, unknown>;
  /** Its lines: a change there may change whether it creates its module (src/engine/data-reads.ts). */
  range: Range;
  /**
   * The resources the module makes with this block's inputs (or `inputs`: a Terragrunt unit's, merged with those of
   * the configurations it includes), from the module folder's own resources.
   */
  build(moduleResources: readonly ModuleResourceData[], resolveInModule: ResolveInModule, inputs?: Record<string, unknown>): Resource[];
}

/**
 * The paths of a resource whose findings are its own to report: for one built from a local module call, the values
 * the caller passed (the module's own settings are reported inside the module); for an override file's block, what
 * it writes (the rest is the overridden block's).
 */
const reportablePaths = new WeakMap<Resource, Path[]>();

/** Report findings of `resource` only at (or below) these paths. */
export function reportOnlyAt(resource: Resource, paths: Path[]): void {
  reportablePaths.set(resource, paths);
}

/** `copy` reports where `resource` does (an instance of it, src/engine/terraform/instances.ts). */
export function reportLikewise(resource: Resource, copy: Resource): void {
  const paths = reportablePaths.get(resource);
  if (paths) reportablePaths.set(copy, paths);
}

/** Whether a finding at `path` of `resource` is reported (src/engine/run.ts). */
export function reportableAt(resource: Resource, path: Path): boolean {
  const paths = reportablePaths.get(resource);
  return !paths || paths.some((p) => startsWith(path, p));
}

/**
 * A module's resource as a call makes it: `${var.x}` where the call passes x is the call's value; anything else as the
 * module itself evaluates it. `mappings`: where the call's values went (none: nothing of the caller's is in it).
 */
function withCallInputs(
  own: ModuleResourceData,
  given: Record<string, unknown>,
  resolveInModule: ResolveInModule,
  /** A Terragrunt unit's `source` input is an input like the others; a `module` block's is its source. */
  sourceIsInput: boolean,
): { body: Record<string, unknown>; mappings: InputMapping[] } {
  const mappings: InputMapping[] = [];
  const passes = (input: string) => Object.hasOwn(given, input) && (input !== 'source' || sourceIsInput);
  const rebuild = (value: unknown, path: Path): unknown => {
    if (typeof value === 'string') {
      const input = /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1];
      if (input !== undefined && passes(input)) {
        mappings.push({ path, input: [input] });
        return given[input];
      }
      if (!value.includes('${')) return value;
      // An expression of inputs the call passes (`!var.public`, `"${var.prefix}-models"`) is evaluated with them.
      const read = [...new Set([...value.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!))].filter(passes);
      if (read.length === 0) return resolveInModule(value);
      mappings.push({ path, input: [read[0]!], derived: true });
      const inputs = Object.fromEntries(read.map((name) => [name, given[name]]));
      return read.some((name) => isInterpolated(given[name])) ? inTermsOfCaller(value, inputs) : resolveInModule(value, inputs);
    }
    if (Array.isArray(value)) return value.map((v, i) => rebuild(v, [...path, i]));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuild(v, [...path, k])]));
    return value;
  };
  return { body: rebuild(own.body, []) as Record<string, unknown>, mappings };
}

/** A module's value evaluated in its own scope; `inputs`: variables a call gives it, over their defaults. */
export type ResolveInModule = (value: unknown, inputs?: Record<string, unknown>) => unknown;

/**
 * A module's expression where some input the call passes is not known, as the caller would write it: each input
 * given as a whole expression (`${var.outer}`: a module passing its own input on) put in its place, so the calls of
 * the calling module evaluate it in turn. Anything else stays the expression as written: unknown, never judged.
 */
function inTermsOfCaller(value: string, inputs: Record<string, unknown>): string {
  const whole = /^\$\{([\s\S]*)\}$/.exec(value)?.[1];
  if (whole === undefined || whole.includes('${')) return value;
  let replaced = whole;
  for (const [name, given] of Object.entries(inputs)) {
    const expression = typeof given === 'string' ? /^\$\{([\s\S]*)\}$/.exec(given)?.[1] : undefined;
    const literal = typeof given === 'string' ? (isInterpolated(given) ? undefined : JSON.stringify(given)) : JSON.stringify(given);
    const text = expression !== undefined && !expression.includes('${') ? `(${expression})` : literal;
    if (text === undefined) return value;
    replaced = replaced.replace(new RegExp(`(?<![\\w.])var\\.${name}(?![\\w-])`, 'g'), text);
  }
  return `\${${replaced}}`;
}

/**
 * What a call in a module between a root and this one makes of the module's resources, as plain data: those that
 * read an input of the call, with its values in place (still `${var.x}` where the calling module passes its own input
 * on), for the calls of the calling module to build in turn. The rest are judged where the call is written.
 */
export function passedOn(call: { name: string; inputs: Record<string, unknown> }, moduleResources: readonly ModuleResourceData[], resolveInModule: ResolveInModule): ModuleResourceData[] {
  return moduleResources.flatMap((own) => {
    if (own.terraform?.block !== 'resource' || own.format !== 'hcl') return [];
    const { body, mappings } = withCallInputs(own, call.inputs, resolveInModule, false);
    return mappings.length === 0 ? [] : [{ id: `module.${call.name}.${own.id}`, kind: own.kind, terraform: own.terraform, format: own.format, body }];
  });
}

/** A local module call in a file, located in the file's tree. */
export function localModuleCall(
  name: string,
  inputs: Record<string, unknown>,
  where: CallSite,
  /** Where the inputs hold no `source` (a Terragrunt unit's): its module's. */
  source: unknown = inputs.source,
): LocalModuleCall {
  return {
    name,
    // Terraform cleans a local source's path: `./modules/bucket/` calls `modules/bucket`.
    source: String(source).replace(/(?<=[^/])\/+$/, ''),
    inputs,
    range: where.range,
    build: (moduleResources, resolveInModule, given = inputs) =>
      moduleResources.flatMap((own) => {
        if (own.terraform?.block !== 'resource' || (own.format !== 'hcl' && own.format !== 'tfjson')) return [];
        const { body, mappings } = withCallInputs(own, given, resolveInModule, where.terragrunt === true);
        if (mappings.length === 0) return []; // nothing of the caller's: the module's own review covers it
        // A call with `count` or `for_each` makes each resource once per instance (none for a count of 0): judged as a
        // resource's own are, where the resource has neither of its own.
        if (body.count === undefined && body.for_each === undefined) {
          if (given.count !== undefined) body.count = given.count;
          else if (given.for_each !== undefined) body.for_each = given.for_each;
        }
        const spec: ModuleResource = { type: own.terraform.type, name: own.terraform.name, inputs: mappings };
        const resource = moduleResource(spec, name, 0, `module.${name}.${own.id}`, body, where);
        resource.kind = own.kind;
        // Made through a call on the way that may create none of its module (src/engine/terraform/local-modules.ts).
        if (own.terraform.calls) resource.terraform = { ...resource.terraform!, calls: own.terraform.calls };
        reportOnlyAt(resource, mappings.map((m) => m.path));
        return [resource];
      }),
  };
}
