// Terraform HCL: values from @cdktf/hcl2json, positions from a real HCL syntax tree (tree-sitter, hcl-tree.ts);
// fixes are written by hcl-write.ts.
import type { EditOp, ParsedFile, Path, Range, Resource, UnseenPart } from '../model.js';
import { appliedApart, droppedItems } from '../common/edits.js';
import { getIn, isRecord, pathKey } from '../common/path.js';
import { kubernetesKindOf, nativePaths, toCanonical, toTerraformPath, type TfSeg } from './paths.js';
import { MAX_HCL_BYTES, MAX_NESTING, formatBytes } from '../common/limits.js';
import { deepNestingLine, nestingReason } from './text.js';
import { bodyOf, follow, holdTree, initHcl, labelsOf, nameOf, onTree, rangeInEmbeddedJson, rangeOfNode, syntaxTree, topBlock, type HeldTree, type TsNode } from './hcl-tree.js';
import { withDirectivesEvaluated } from './hcl-eval.js';
import { applyHclOp, applyNewResource, createBlockOnce, lineStart, NEW_RESOURCE } from './hcl-write.js';
import { localModuleCall, moduleResources, registryModule, type LocalModuleCall } from './hcl-modules.js';
import { asOverrides, isOverrideFile } from './terraform-overrides.js';
import { isTofuFile } from './opentofu.js';
import { isTerragruntConfig, mixedIncludesReason, parseTerragrunt, type TerragruntInputs, type TerragruntUnit } from './terragrunt.js';
import { REGISTRY_MODULES } from './registry-modules.js';
import { terraformRenderedElsewhere } from './rendered-elsewhere.js';
import { kubectlManifestResources } from './kubectl-manifest.js';
import { assignOwn, setOwn } from '../common/own-key.js';
import { dynamicExpansion, expandsLater, holdsDynamic } from './dynamic-expansion.js';

export { initHcl, hclExpressionValue } from './hcl-tree.js';
export { NEW_RESOURCE, renderHclValue } from './hcl-write.js';

// Importing @cdktf/hcl2json starts its Go runtime (tens of MB): only a thread that parses Terraform loads it.
let hcl2json: Promise<typeof import('@cdktf/hcl2json')> | null = null;
async function hclToJson(file: string, text: string, conversions?: HclConversions): Promise<unknown> {
  const kept = conversions?.get(file, text);
  if (kept !== undefined) return JSON.parse(kept);
  hcl2json ??= import('@cdktf/hcl2json');
  const json = await (await hcl2json).parse(file, text);
  conversions?.keep(file, text, JSON.stringify(json));
  return json;
}

/**
 * hcl2json's values of texts parsed before, as JSON text, for a caller that parses a file again (a worker that could
 * not keep the whole parse until its evaluation): hcl2json is most of a Terraform parse's cost, and its value is
 * smaller than the file's text. `get` answers only for the very file and text it was kept for.
 */
export interface HclConversions {
  get(file: string, text: string): string | undefined;
  keep(file: string, text: string, json: string): void;
}

/** `main.tf:2,7-3,1: Invalid expression; …` → line 2. */
export function hclErrorLine(full: string): { line: number; message: string } {
  // The parser may quote the file: bounded before any pattern runs on it.
  const message = full.slice(0, 2000);
  const match = /:(\d+),(\d+)-\d+(?:,\d+)?: ([^\]]*)/.exec(message);
  if (!match) return { line: 1, message: message.replace(/^parse config: /, '') };
  return { line: Number(match[1]), message: match[3]!.split(/\], |, [\w./-]+:\d+,\d+-/)[0]!.trim() };
}

// ---- parsing ----

type HclJson = Record<string, Record<string, Record<string, Record<string, unknown>[]>>> & {
  module?: Record<string, Record<string, unknown>[]>;
  variable?: Record<string, Record<string, unknown>[]>;
  locals?: Record<string, unknown>[];
};

/** What a file declares for evaluation: its variables (with defaults, when given) and locals, as hcl2json gives them. */
export interface TerraformDeclarations {
  variables: Record<string, { default?: unknown }>;
  locals: Record<string, unknown>;
  /** `module` blocks whose source is a folder of the repository. */
  localModules: LocalModuleCall[];
  /** A Terragrunt configuration (src/formats/terragrunt.ts): its inputs, and for a unit its call of its module. */
  terragrunt?: { inputs: TerragruntInputs; unit: TerragruntUnit | null };
}
const declarations = new WeakMap<ParsedFile, TerraformDeclarations>();

/**
 * A Terraform JSON file's variables and locals (src/formats/tfjson.ts): evaluated with the module's as an HCL file's
 * are. Modules it calls are not followed, so none is listed.
 */
export function declareTerraformJson(parsed: ParsedFile, json: Record<string, unknown>): void {
  declarations.set(parsed, declarationsOf(json as HclJson));
}

/** The variables and locals a parsed HCL or Terraform JSON file declares (empty for other formats). */
export function terraformDeclarations(parsed: ParsedFile): TerraformDeclarations {
  return declarations.get(parsed) ?? { variables: {}, locals: {}, localModules: [] };
}

function declarationsOf(json: HclJson): TerraformDeclarations {
  const variables: TerraformDeclarations['variables'] = {};
  for (const [name, bodies] of Object.entries(json.variable ?? {})) {
    const body = Array.isArray(bodies) ? bodies[0] : bodies;
    setOwn(variables, name, isRecord(body) && Object.hasOwn(body, 'default') ? { default: body.default } : {});
  }
  const locals: Record<string, unknown> = {};
  for (const block of Array.isArray(json.locals) ? json.locals : isRecord(json.locals) ? [json.locals] : []) {
    if (isRecord(block)) assignOwn(locals, block);
  }
  return { variables, locals, localModules: [] };
}

// hcl2json is Go compiled to wasm: deep nesting overflows the JS stack inside it (from ~3,000 levels here), and
// its runtime is broken afterwards: the next call aborts the process. Deeper text than MAX_NESTING is never handed to it.
let hclRuntimeBroken = false;

/** False once hcl2json has failed in a way that leaves its Go runtime unusable (a worker then replaces itself). */
export function hclRuntimeHealthy(): boolean {
  return !hclRuntimeBroken;
}

/** A `.tf` whose text is JSON: Terraform reads JSON syntax only from `*.tf.json` files (OpenTofu also `*.tofu.json`). */
function looksLikeJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `positions: false`: the resources' lines are not read (a proof compares fingerprints): no syntax tree is built. */
export async function parseHcl(file: string, text: string, positions = true, conversions?: HclConversions): Promise<ParsedFile> {
  const parsed: ParsedFile = { file, format: 'hcl', text, resources: [], errors: [], notes: [] };
  const json = await hclJsonOf(parsed, conversions);
  if (!json) return parsed;
  if (isTerragruntConfig(file)) return withTerragrunt(parsed, json, positions);
  // A kubectl_manifest's heredoc is read as its object from the syntax tree: a baseline reads it so too, or what it
  // held would never be found there (and every finding on it would be new).
  const built = positions || readsHeredocs(json as HclJson) ? withResources(parsed, json as HclJson) : withoutPositions(parsed, json as HclJson);
  if (isOverrideFile(file)) asOverrides(built, json);
  return built;
}

/**
 * hcl2json's value of a file, within the limits; null when the file is not reviewed or does not parse (the reason
 * or the error is recorded on `parsed`).
 */
export async function hclJsonOf(parsed: ParsedFile, conversions?: HclConversions): Promise<Record<string, unknown> | null> {
  const { file, text } = parsed;
  if (text.length > MAX_HCL_BYTES) {
    parsed.notReviewed = `too large to review as HCL (${formatBytes(text.length)}; the limit for Terraform HCL is ${formatBytes(MAX_HCL_BYTES)})`;
    return null;
  }
  await initHcl();
  const deep = deepNestingLine(text, MAX_NESTING, '{[(', '}])');
  if (deep !== null) {
    parsed.notReviewed = nestingReason(deep);
    return null;
  }
  if (hclRuntimeBroken) {
    parsed.notReviewed = 'the HCL parser failed on an earlier file and cannot parse more in this process';
    return null;
  }
  try {
    const json = await hclToJson(file, text, conversions);
    // hcl2json gives a template with a directive (`%{ if … }`) as its text: never a literal (hcl-eval.ts).
    return isRecord(json) ? (withDirectivesEvaluated(json) as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof RangeError) hclRuntimeBroken = true;
    if (looksLikeJson(text)) {
      const rename = file.endsWith('.tfvars') ? '`*.tfvars.json`' : isTofuFile(file) ? '`*.tofu.json`' : '`*.tf.json`';
      parsed.errors.push({ line: 1, message: `this file holds JSON, not HCL: Terraform reads JSON syntax only from files named ${rename}, so rename it` });
      return null;
    }
    const mixed = isTerragruntConfig(file) ? mixedIncludesReason(text) : null;
    if (mixed !== null) parsed.notReviewed = mixed;
    else parsed.errors.push(hclErrorLine(String((error as Error).message ?? error)));
    return null;
  }
}

/**
 * A Terragrunt configuration: no Terraform of its own (its `locals` are Terragrunt's), only the call of its module a
 * unit makes, built once that module's folder is parsed too (src/engine/terraform/local-modules.ts).
 */
function withTerragrunt(parsed: ParsedFile, json: Record<string, unknown>, positions: boolean): ParsedFile {
  let held: HeldTree = { tree: null };
  if (positions) {
    const holding = holdTree(parsed.text, parsed);
    held = holding.held;
    parsed.release = holding.release;
  }
  const terragrunt = parseTerragrunt(parsed, json, held);
  declarations.set(parsed, { variables: {}, locals: {}, localModules: terragrunt.unit?.call ? [terragrunt.unit.call] : [], terragrunt });
  parsed.unseen?.sort((a, b) => a.lines.startLine - b.lines.startLine);
  return parsed;
}

/** The resources of a parsed file, from hcl2json's output and the syntax tree. */
function withResources(parsed: ParsedFile, json: HclJson): ParsedFile {
  const { file, text } = parsed;
  declarations.set(parsed, declarationsOf(json));
  // The file keeps its own tree until released after evaluation: locating and fixing never re-parse it.
  const { held, release } = holdTree(text, parsed);
  parsed.release = release;
  onTree(held, text, text, (root) => {
    for (const blockType of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[blockType] ?? {})) {
        for (const [name, bodies] of Object.entries(byName ?? {})) {
          const tfBody = Array.isArray(bodies) ? bodies[0] : bodies;
          if (!isRecord(tfBody)) continue;
          const block = topBlock(root, blockType, [type, name]);
          if (!block) continue;
          // A kubectl_manifest's inline YAML is the object it applies; reviewed as that object.
          const applied = blockType === 'resource' && type === 'kubectl_manifest' ? kubectlManifestResources(file, block, name, tfBody.yaml_body, rangeOfNode(block)) : null;
          if (applied) {
            parsed.resources.push(...applied);
            continue;
          }
          const resource = makeResource(file, text, held, blockType, type, name, tfBody, rangeOfNode(block));
          parsed.resources.push(resource);
          const elsewhere = blockType === 'resource' ? terraformRenderedElsewhere(type, name, tfBody, rangeOfNode(block)) : null;
          if (elsewhere) {
            (parsed.unseen ??= []).push(elsewhere);
            mayEvaluateManifest(resource, { text, held, blockType, labels: [type, name], range: rangeOfNode(block) }, tfBody, elsewhere);
          }
          const unexpanded = kubernetesKindOf(type) ? unexpandedInObject(block, type, name) : [];
          if (unexpanded.length > 0) {
            (parsed.unseen ??= []).push(...unexpanded);
            // Withdrawn once evaluation has expanded them all (src/engine/terraform/evaluate.ts).
            dynamicExpansion(resource)?.unseen.push(...unexpanded);
          }
        }
      }
    }
    // Registry modules in the table: the resources they create, located at the module's inputs.
    for (const [name, bodies] of Object.entries(json.module ?? {})) {
      const inputs = Array.isArray(bodies) ? bodies[0] : bodies;
      if (!isRecord(inputs)) continue;
      const block = topBlock(root, 'module', [name]);
      if (!block) continue;
      const where = { file, text, held, range: rangeOfNode(block) };
      // A local module is built once its folder is parsed too (src/engine/terraform/local-modules.ts).
      const local = typeof inputs.source === 'string' && /^\.\.?\//.test(inputs.source);
      if (local) declarations.get(parsed)!.localModules.push(localModuleCall(name, inputs, where));
      const entry = registryModule(REGISTRY_MODULES, inputs.source);
      if (entry) parsed.resources.push(...moduleResources(entry, name, inputs, where));
      // Warden fetches no module: one it does not know creates what no rule sees. Said, so the silence is not read as clean.
      else if (!local) (parsed.unseen ??= []).push({ lines: where.range, reason: `what module \`${name}\` (\`${String(inputs.source ?? '')}\`) creates: Warden fetches no module and does not know this one` });
    }
  });
  // hcl2json sorts keys: put resources (and what Warden cannot see of them) back in file order.
  parsed.resources.sort((a, b) => a.range.startLine - b.range.startLine);
  parsed.unseen?.sort((a, b) => a.lines.startLine - b.lines.startLine);
  return parsed;
}

function readsHeredocs(json: HclJson): boolean {
  return Object.values(json.resource?.kubectl_manifest ?? {}).some((bodies) => (Array.isArray(bodies) ? bodies : [bodies]).some((body) => isRecord(body) && typeof body.yaml_body === 'string'));
}

/**
 * The resources of a parsed file from hcl2json's output alone, every range the file's first line: for a parse no
 * position is asked of (a tree is still parsed, from the text, if one is).
 */
function withoutPositions(parsed: ParsedFile, json: HclJson): ParsedFile {
  const { file, text } = parsed;
  declarations.set(parsed, declarationsOf(json));
  const held: HeldTree = { tree: null };
  const range: Range = { startLine: 1, endLine: 1 };
  for (const blockType of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(json[blockType] ?? {})) {
      for (const [name, bodies] of Object.entries(byName ?? {})) {
        const tfBody = Array.isArray(bodies) ? bodies[0] : bodies;
        if (!isRecord(tfBody)) continue;
        const resource = makeResource(file, text, held, blockType, type, name, tfBody, range);
        parsed.resources.push(resource);
        // Judged as in a parse with positions (a baseline's fingerprints are this parse's).
        const elsewhere = blockType === 'resource' ? terraformRenderedElsewhere(type, name, tfBody, range) : null;
        if (elsewhere) mayEvaluateManifest(resource, { text, held, blockType, labels: [type, name], range }, tfBody, elsewhere);
      }
    }
  }
  for (const [name, bodies] of Object.entries(json.module ?? {})) {
    const inputs = Array.isArray(bodies) ? bodies[0] : bodies;
    if (!isRecord(inputs)) continue;
    const where = { file, text, held, range };
    if (typeof inputs.source === 'string' && /^\.\.?\//.test(inputs.source)) declarations.get(parsed)!.localModules.push(localModuleCall(name, inputs, where));
    const entry = registryModule(REGISTRY_MODULES, inputs.source);
    if (entry) parsed.resources.push(...moduleResources(entry, name, inputs, where));
  }
  return parsed;
}

/** A `set` of repeated blocks to a subsequence of themselves, as removals of the others (last first); else null. */
function blockRemovals(op: EditOp, all: readonly EditOp[], body: Record<string, unknown>, resolve: (path: Path) => TfSeg[]): EditOp[] | null {
  if (op.op !== 'set' || !Array.isArray(op.value)) return null;
  const key = JSON.stringify(op.path);
  if (all.some((other) => other !== op && JSON.stringify(other.path.slice(0, op.path.length)) === key)) return null;
  const now = getIn(body, op.path);
  const dropped = Array.isArray(now) ? droppedItems(now, op.value) : null;
  if (!dropped || !('block' in (resolve([...op.path, 0]).at(-1) ?? {}))) return null;
  return dropped.reverse().map((i) => ({ op: 'remove', path: [...op.path, i] }));
}

/**
 * The `dynamic` blocks of a `kubernetes_*` resource (`dynamic "container"` in its pod spec): the object is judged in
 * Kubernetes' own shape, built from its blocks, so what a `dynamic` block makes (containers, volumes, security
 * contexts) is seen only once evaluation knows its `for_each`. Not reviewed until then, rather than passed unseen.
 */
function unexpandedInObject(block: TsNode, type: string, name: string): UnseenPart[] {
  const found: UnseenPart[] = [];
  const visit = (node: TsNode) => {
    for (const child of bodyOf(node)?.namedChildren ?? []) {
      if (child?.type !== 'block') continue;
      if (nameOf(child) === 'dynamic') {
        const label = labelsOf(child)[0] ?? '';
        found.push({ lines: rangeOfNode(child), reason: `what the \`dynamic "${label}"\` block of ${type} \`${name}\` makes: Warden could not tell the values of the \`for_each\` of every \`dynamic\` block of this object (a variable without a default or value, a resource's attribute, a function it does not evaluate), so it did not build the object (give them values Warden can read, or write the blocks out, to have it reviewed)` });
      } else visit(child);
    }
  };
  visit(block);
  return found;
}

function makeResource(
  file: string,
  text: string,
  held: HeldTree,
  blockType: 'resource' | 'data',
  type: string,
  name: string,
  tfBody: Record<string, unknown>,
  range: Range,
): Resource {
  const address = blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  const labels = [type, name];
  const k8s = kubernetesKindOf(type);
  let view: HclView;
  if (type === 'kubernetes_manifest' && isRecord(tfBody.manifest)) {
    const paths = nativePaths({ manifest: tfBody.manifest });
    const prefixed = new Map<string, TfSeg[]>();
    // The manifest object is the body: strip the leading `.manifest` from every recorded path.
    for (const [key, segs] of paths) if (key.startsWith('.manifest')) prefixed.set(key.slice('.manifest'.length), segs);
    view = { body: tfBody.manifest, paths: prefixed, native: true };
  } else if (k8s) {
    view = { ...toCanonical(tfBody, k8s.kind, k8s.apiVersion), native: false };
  } else {
    view = { body: tfBody, paths: nativePaths(tfBody), native: true };
  }
  const body = view.body;
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const kind = typeof body.kind === 'string' && (k8s || type === 'kubernetes_manifest') ? body.kind : type;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const where: HclBlock = { text, held, blockType, labels, range };
  const resource: Resource = {
    id: address,
    kind,
    apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : undefined,
    name: typeof meta.name === 'string' && (k8s || type === 'kubernetes_manifest') ? meta.name : name,
    namespace,
    terraform: { block: blockType, type, name },
    file,
    format: 'hcl',
    range,
    body,
    source: hclSource(where, view),
  };
  // What `dynamic` blocks make is known once evaluation knows their `for_each`: the resource is seen again then.
  if (type !== 'kubernetes_manifest' && holdsDynamic(tfBody)) {
    expandsLater(resource, {
      written: tfBody,
      mapped: k8s !== undefined,
      unseen: [],
      view: (expanded) => {
        if (k8s) {
          const { made, ...canonical } = toCanonical(expanded, k8s.kind, k8s.apiVersion);
          return { body: canonical.body, source: hclSource(where, { ...canonical, native: false }), made };
        }
        const made: Path[] = [];
        const paths = nativePaths(expanded, made);
        return { body: expanded, source: hclSource(where, { body: expanded, paths, native: true }), made };
      },
    });
  }
  return resource;
}

/** How a resource is seen: its body (Kubernetes' shape for a `kubernetes_*` object) and where each path of it is written. */
type HclView = { body: Record<string, unknown>; paths: Map<string, TfSeg[]>; native: boolean };
/** The block a resource is written in. */
interface HclBlock {
  text: string;
  held: HeldTree;
  blockType: 'resource' | 'data';
  labels: string[];
  range: Range;
}

/**
 * A `kubernetes_manifest` whose `manifest` is an expression (`yamldecode(templatefile(…))`, a heredoc with
 * interpolations), or a `kubectl_manifest` whose `yaml_body` is (`templatefile(…)`): what the file says it did not
 * review, and how the resource is seen once evaluation knows the object, every path of it located at that argument
 * (nothing of it is written there as such).
 */
export interface EvaluatedManifest {
  /** `manifest` holds the object; `yaml_body` its YAML, one document. */
  argument: 'manifest' | 'yaml_body';
  /** The file it is made from as one YAML document (`templatefile("deploy.yaml.tpl", …)`), relative to the module. */
  template?: string;
  unseen: UnseenPart[];
  view(manifest: Record<string, unknown>): Pick<Resource, 'body' | 'source' | 'kind' | 'apiVersion' | 'name' | 'namespace'>;
}
const manifests = new WeakMap<Resource, EvaluatedManifest>();
export function manifestToEvaluate(resource: Resource): EvaluatedManifest | undefined {
  return manifests.get(resource);
}

/** A manifest Warden does not read as written may be known once evaluated (`yamldecode(templatefile(…))`). */
function mayEvaluateManifest(resource: Resource, where: HclBlock, tfBody: Record<string, unknown>, unseen: UnseenPart): void {
  const type = where.labels[0];
  const argument = type === 'kubernetes_manifest' ? 'manifest' : type === 'kubectl_manifest' ? 'yaml_body' : null;
  if (!argument) return;
  unseen.resource = resource.id;
  manifests.set(resource, evaluatedManifest(where, argument, unseen, readTemplate(tfBody[argument], argument)));
}

/** The literal path of the one file an argument is the YAML of (`yamldecode(templatefile("x.tpl", …))`), or undefined. */
function readTemplate(value: unknown, argument: EvaluatedManifest['argument']): string | undefined {
  if (typeof value !== 'string') return undefined;
  const call = argument === 'manifest' ? /^\$\{yamldecode\((?:templatefile|file)\("((?:\$\{path\.module\}\/)?[^"$]+)"[,)]/ : /^\$\{(?:templatefile|file)\("((?:\$\{path\.module\}\/)?[^"$]+)"[,)]/;
  return call.exec(value)?.[1]?.replace(/^\$\{path\.module\}\//, '');
}

function evaluatedManifest(where: HclBlock, argument: EvaluatedManifest['argument'], unseen: UnseenPart, template: string | undefined): EvaluatedManifest {
  const [type, name] = where.labels as [string, string];
  return {
    argument,
    ...(template !== undefined ? { template } : {}),
    unseen: [unseen],
    view: (manifest) => {
      const meta = isRecord(manifest.metadata) ? manifest.metadata : {};
      const paths = new Map<string, TfSeg[]>([[pathKey([]), [{ attr: argument }]]]);
      return {
        body: manifest,
        source: hclSource(where, { body: manifest, paths, native: true }),
        kind: typeof manifest.kind === 'string' ? manifest.kind : type,
        apiVersion: typeof manifest.apiVersion === 'string' ? manifest.apiVersion : undefined,
        name: typeof meta.name === 'string' ? meta.name : name,
        namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
      };
    },
  };
}

function hclSource({ text, held, blockType, labels, range }: HclBlock, view: HclView): Resource['source'] {
  const { body } = view;
  const resolve = (path: Path, valueIsObject = false) =>
    toTerraformPath(path, view.paths, { native: view.native, valueIsObject });
  // Where an op writes: a value that is an object is written as a nested block or an object by its path.
  const segsOf = (op: EditOp) => resolve(op.path, op.op !== 'remove' && isRecord((op as { value?: unknown }).value));
  return {
    locate: (path) =>
      onTree(held, text, text, (root) => {
        const block = topBlock(root, blockType, labels);
        if (!block) return { ...range, exact: false };
        const segs = resolve(path);
        const { node, depth } = follow(block, segs);
        // A statement inside a heredoc policy document: its own lines.
        const embedded = depth < segs.length && depth > 0 ? rangeInEmbeddedJson(node, segs.slice(depth)) : null;
        if (embedded) return { ...embedded, exact: true };
        return { ...rangeOfNode(node), exact: depth === segs.length };
      }),
    apply: (current, ops) => {
      let acc = current;
      // Repeated blocks (`sysctl { … }` ×n) set to some of themselves: remove the others, block by block (the
      // writer cannot set a list of blocks). Only against the parsed text, and for a list no other op touches.
      if (current === text) ops = ops.flatMap((op) => blockRemovals(op, ops, body, resolve) ?? [op]);
      // Ops whose changes lie apart are applied from the held tree at once, not with a parse each.
      if (current === text && ops.length > 1) {
        const together = appliedFromTree(text, ops, held, blockType, labels, segsOf);
        if (together !== null) return together;
        // Ops that all create one missing block: written at once, as one after another would write them.
        if (!ops.some((op) => op.path[0] === NEW_RESOURCE)) {
          const once = onTree(held, text, text, (root) => createBlockOnce(text, root, blockType, labels, ops.map((op) => ({ op, segs: segsOf(op) }))));
          if (once !== null) return once;
        }
      }
      // Where this resource's block stands in `acc`: once the text has changed, later ops re-parse only the
      // block (it is valid HCL on its own), not the whole file.
      let span = null as { start: number; end: number } | null;
      for (const op of ops) {
        if (op.path[0] === NEW_RESOURCE && op.op === 'set' && isRecord(op.value)) {
          const value = op.value;
          const before = acc;
          // A new resource goes after this block: the block's span does not move.
          acc = onTree(held, text, before, (root) => applyNewResource(before, root, { blockType, labels }, String(op.path[1]), String(op.path[2]), value));
          continue;
        }
        const segs = segsOf(op);
        const before = acc;
        if (span) {
          const { start, end }: { start: number; end: number } = span;
          const slice = before.slice(start, end);
          const edited = syntaxTree(slice, (root) => applyHclOp(slice, root, blockType, labels, segs, op), { cache: false });
          acc = before.slice(0, start) + edited + before.slice(end);
          span = { start, end: end + edited.length - slice.length };
          continue;
        }
        acc = onTree(held, text, before, (root) => {
          const block = topBlock(root, blockType, labels);
          const after = applyHclOp(before, root, blockType, labels, segs, op);
          // Only a block that starts its line can be re-parsed alone with the same indentation.
          if (block && lineStart(before, block.startIndex) === block.startIndex) {
            span = { start: block.startIndex, end: block.endIndex + after.length - before.length };
          }
          return after;
        });
      }
      return acc;
    },
  };
}

/**
 * A resource's ops applied together from the file's held tree (null when that cannot be told apart from applying
 * them one after another): its own settings where their changes lie apart (src/common/edits.ts appliedApart), then
 * the new resources its fix adds, each right after the block and so before the ones added before it.
 */
function appliedFromTree(text: string, ops: readonly EditOp[], held: HeldTree, blockType: string, labels: string[], segsOf: (op: EditOp) => TfSeg[]): string | null {
  const creating = ops.filter((op): op is EditOp & { op: 'set'; value: Record<string, unknown> } => op.path[0] === NEW_RESOURCE && op.op === 'set' && isRecord(op.value));
  const own = ops.filter((op) => op.path[0] !== NEW_RESOURCE);
  if (creating.length + own.length !== ops.length) return null;
  const alone = (op: EditOp) => onTree(held, text, text, (root) => applyHclOp(text, root, blockType, labels, segsOf(op), op));
  const changed = own.length === 0 ? text : own.length === 1 ? alone(own[0]!) : appliedApart(text, own, alone);
  if (changed === null || creating.length === 0) return changed;
  const names = new Set(creating.map((op) => `${String(op.path[1])}.${String(op.path[2])}`));
  if (names.size !== creating.length) return null; // the second would set what the first created
  return onTree(held, text, text, (root) => {
    const block = topBlock(root, blockType, labels);
    if (!block || creating.some((op) => topBlock(root, 'resource', [String(op.path[1]), String(op.path[2])]) !== null)) return null;
    // Where applyNewResource puts them: past the line the block ends on.
    const at = text.indexOf('\n', block.endIndex - 1) + 1;
    // The block's own changes all lie before its end: past it, the text must be as it was.
    if (at <= 0 || text[at - 1] !== '\n' || !changed.endsWith(text.slice(at))) return null;
    const added = creating.map((op) => {
      const after = applyNewResource(text, root, { blockType, labels }, String(op.path[1]), String(op.path[2]), op.value);
      return after.slice(at, at + after.length - text.length);
    });
    const cut = changed.length - (text.length - at);
    return changed.slice(0, cut) + added.reverse().join('') + changed.slice(cut);
  });
}
