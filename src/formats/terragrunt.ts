// Terragrunt (https://terragrunt.gruntwork.io/docs/features/inputs/): a unit, `terragrunt.hcl`, deploys the Terraform
// (or OpenTofu) module its `terraform { source = … }` names as a root module, its `inputs` given as `TF_VAR_<name>`
// variables (the lowest precedence: the terraform.tfvars and *.auto.tfvars of the module's folder, and of the unit's
// that Terragrunt copies into it, win: src/engine/terraform/terragrunt-units.ts workingDirVarFiles), merged over the
// `inputs` of the configurations it includes (shallowly by default: the unit's win). In a source, `//` separates the
// repository from the module's folder in it: a local `../../modules//bucket` is the folder `../../modules/bucket`.
// A local source is reviewed as a Terraform local module call with those inputs (./hcl-modules.ts); a registry module
// of Warden's table as a `module` block of it is; what Warden cannot follow exactly (another remote source, a
// `generate` block, an include it cannot merge, `extra_arguments` that give Terraform variables of their own) is not
// reviewed where the change touches it (`unseen`). Nothing is run: `dependency` outputs and Terragrunt's functions
// (`get_env`, `run_cmd`, …) stay unknown, and are not judged.
import { posix } from 'node:path';
import type { ParsedFile, Range } from '../model.js';
import { isRecord } from '../common/path.js';
import { bodyOf, follow, labelsOf, nameOf, onTree, rangeOfNode, type HeldTree, type TsNode } from './hcl-tree.js';
import { localModuleCall, moduleResources, registryModule, type CallSite, type LocalModuleCall } from './hcl-modules.js';
import { REGISTRY_MODULES } from './registry-modules.js';

/** A Terragrunt unit: what Terragrunt runs. */
export function isTerragruntUnit(path: string): boolean {
  return posix.basename(path) === 'terragrunt.hcl';
}

/** A Terragrunt configuration: a unit, or a file units include (`root.hcl`); never Terraform's lock file or test files. */
export function isTerragruntConfig(path: string): boolean {
  const base = posix.basename(path).toLowerCase();
  return base.endsWith('.hcl') && base !== '.terraform.lock.hcl' && !/\.(tftest|tofutest)\.hcl$/.test(base);
}

/** What an `include` names: a file name looked for in the unit's parent folders, or a path from the unit's folder. */
export type IncludeTarget = { find: string } | { path: string };

/** An include's `path` as hcl2json gives it (`${find_in_parent_folders("root.hcl")}`): what it names, or null (computed otherwise). */
export function includeTarget(path: unknown): IncludeTarget | null {
  if (typeof path !== 'string') return null;
  const found = /^\$\{\s*find_in_parent_folders\(\s*(?:"([^"\\$]*)")?\s*\)\s*\}$/.exec(path);
  if (found) return { find: found[1] || 'terragrunt.hcl' };
  return path.includes('${') || posix.isAbsolute(path) ? null : { path };
}

/**
 * The file an include names, as far as `exists` tells: the nearest file of that name in a parent folder of the unit's
 * (as `find_in_parent_folders` looks, from the folder above the unit's), or the path from the unit's folder.
 */
export function includedFile(unit: string, target: IncludeTarget, exists: (path: string) => boolean): string | null {
  return includeCandidates(unit, target).find(exists) ?? null;
}

/** How many parent folders above where the command line's names start an include's `find_in_parent_folders` is looked for in. */
const MAX_PARENT_FOLDERS = 32;

/** The paths an include may name, nearest first: the file it is is the first of them that exists. */
function includeCandidates(unit: string, target: IncludeTarget): string[] {
  if ('path' in target) return [posix.normalize(posix.join(posix.dirname(unit), target.path))];
  const candidates: string[] = [];
  const above = (dir: string) => dir === '.' || /^(\.\.\/)*\.\.$/.test(dir);
  let dir = posix.dirname(unit);
  while (dir !== '/' && !above(dir)) {
    dir = posix.dirname(dir);
    candidates.push(posix.join(dir, target.find));
  }
  // A unit the command line names from its own folder (`terragrunt.hcl`, `../prod/terragrunt.hcl`) has its parents
  // above where the names start: climbed with `..`, as far as any repository is deep (a reader reads nothing outside
  // the repository, and the App names none so).
  for (let up = 0; dir !== '/' && up < MAX_PARENT_FOLDERS; up++) {
    dir = posix.join(dir, '..');
    candidates.push(posix.join(dir, target.find));
  }
  return candidates;
}

/** Every path the includes of these units may name, for learning which exist before they are followed. */
export function includeCandidatesOf(units: readonly { path: string; headText: string }[]): Set<string> {
  return new Set(units.flatMap((unit) => includesInText(unit.headText).flatMap(({ target }) => includeCandidates(unit.path, target))));
}

/**
 * The includes a unit names, read from its text, each with the file it names as far as `exists` tells (null: none):
 * what the review reads beside the unit, and what a change to an included file changes.
 */
export function unitIncludes(unit: string, text: string, exists: (path: string) => boolean): { target: IncludeTarget; line: number; file: string | null }[] {
  return includesInText(text).map((include) => ({ ...include, file: includedFile(unit, include.target, exists) }));
}

/**
 * The includes a unit's text names, read from the text (the main thread has no HCL parser): what to read beside it.
 * One not read this way is found unfollowed by the parse (./terragrunt.ts parseTerragrunt), and not reviewed.
 */
function includesInText(text: string): { target: IncludeTarget; line: number }[] {
  const found: { target: IncludeTarget; line: number }[] = [];
  for (const block of text.matchAll(/^[ \t]*include(?:[ \t]+"[^"\n]*")?[ \t]*\{([^}]*)\}/gm)) {
    const path = /^[ \t]*path[ \t]*=[ \t]*(.+?)[ \t]*$/m.exec(block[1]!)?.[1];
    if (path === undefined) continue;
    let value: unknown = `\${${path}}`;
    if (path.startsWith('"')) {
      try {
        value = JSON.parse(path);
      } catch {
        continue;
      }
    }
    const target = includeTarget(value);
    if (target) found.push({ target, line: text.slice(0, block.index).split('\n').length });
  }
  return found;
}

/**
 * The line of a unit's first `extra_arguments` block that may give Terraform variables (var files, `-var…`, `TF_VAR_`,
 * or computed arguments or environment), read from its text as parseTerragrunt reads the parsed block: for a unit read
 * only as the caller of a changed module, whose own parts not reviewed are not said. A doubt counts as giving them.
 */
export function variablesGivenAt(text: string): number | null {
  for (const match of text.matchAll(/^[ \t]*extra_arguments\b[^{\n]*\{/gm)) {
    let end = match.index + match[0].length;
    for (let depth = 1; end < text.length && depth > 0; end++) depth += text[end] === '{' ? 1 : text[end] === '}' ? -1 : 0;
    const block = text.slice(match.index, end);
    if (/\b(?:required|optional)_var_files\b|TF_VAR_|-var\b|\$\{|\b(?:arguments|env_vars)[ \t]*=[ \t]*[^[{\s]/i.test(block)) return text.slice(0, match.index).split('\n').length;
  }
  return null;
}

/**
 * Why a Terragrunt configuration that mixes a bare `include { … }` with labelled `include "x" { … }` blocks is not
 * reviewed, or null when it does not. hcl2json refuses such a file; Terragrunt reads it, taking the bare block as
 * labelled `""` (it refuses only two bare ones), and deprecates bare includes.
 */
export function mixedIncludesReason(text: string): string | null {
  const includes = [...text.matchAll(/^[ \t]*include([ \t]+"[^"\n]*")?[ \t]*\{/gm)];
  const bare = includes.find((m) => m[1] === undefined);
  const labelled = includes.find((m) => m[1] !== undefined);
  if (!bare || !labelled) return null;
  const line = text.slice(0, bare.index).split('\n').length;
  return `its bare \`include\` block (line ${line}) sits beside labelled ones (\`include ${labelled[1]!.trim()}\`): Terragrunt reads that (the bare block as if labelled \`""\`), but Warden's HCL parser does not read a file that mixes the two forms. Give the bare block a label (\`include "root" { … }\`), as Terragrunt asks since it deprecated bare includes`;
}

/** A configuration's `inputs` and where they are, as plain data: a unit merges an included file's under its own. */
export interface TerragruntInputs {
  file: string;
  /** Its `inputs`, each exactly `local.x` of a literal local replaced by its value (anything else computed stays `${…}`: unknown). */
  inputs: Record<string, unknown>;
  /** The lines of each input. */
  lines: Record<string, Range>;
  text: string;
}

/** A unit's include Warden follows: its inputs are merged under the unit's. */
export interface FollowedInclude {
  target: IncludeTarget;
  lines: Range;
}

/** A unit's call of its module, built where the module's folder and the included files are known (src/engine/terraform/local-modules.ts). */
export interface TerragruntUnit {
  own: TerragruntInputs;
  includes: FollowedInclude[];
  /** Where its inputs are written (an included file's inputs are located through it). */
  site: CallSite;
  /** Its lines that decide what it deploys (its `terraform` block, `inputs`, includes): what it builds is changed when one is. */
  lines: Range[];
  /** A local source: the module folder's call (`source` is the folder from the unit's). */
  call?: LocalModuleCall;
  /** A registry module of the table: its resources with these inputs. */
  registry?: (inputs: Record<string, unknown>) => ReturnType<typeof moduleResources>;
}

/** The name the unit's call goes by in resource addresses: `module.terragrunt.aws_s3_bucket.this`. */
export const UNIT_MODULE = 'terragrunt';

const firstBody = (value: unknown): Record<string, unknown> | null => {
  const body = Array.isArray(value) ? value[0] : value;
  return isRecord(body) ? body : null;
};

/**
 * Whether an `extra_arguments` block (hcl2json's body) may give Terraform variables: var files, a `-var…` argument,
 * a `TF_VAR_` environment variable, or any of these computed (not a literal list or map).
 */
function setsVariables(body: Record<string, unknown> | null): boolean {
  if (!body) return true;
  const given = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);
  if (given(body.required_var_files) || given(body.optional_var_files)) return true;
  const args = body.arguments;
  if (args !== undefined && (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('${') || /^-var(-file)?\b/.test(a)))) return true;
  const env = body.env_vars;
  return env !== undefined && (!isRecord(env) || Object.keys(env).some((name) => name.includes('${') || /^TF_VAR_/i.test(name)));
}

/** A registry address in a `tfr://` source: `tfr:///terraform-aws-modules/s3-bucket/aws?version=4.1.0`. */
function registrySource(source: string): { address: string; version?: string } | null {
  const match = /^tfr:\/\/(?:registry\.terraform\.io)?\/([^?]+)(?:\?(.*))?$/.exec(source);
  if (!match) return null;
  const version = new URLSearchParams(match[2] ?? '').get('version') ?? undefined;
  return { address: match[1]!, ...(version !== undefined ? { version } : {}) };
}

/**
 * A Terragrunt configuration's parse: its inputs (for the units that include it), and for a unit the call of its
 * module, or what of it is not reviewed. `json` is hcl2json's value of the file.
 */
export function parseTerragrunt(parsed: ParsedFile, json: Record<string, unknown>, held: HeldTree): { inputs: TerragruntInputs; unit: TerragruntUnit | null } {
  const { file, text } = parsed;
  const unseen = (lines: Range, reason: string) => (parsed.unseen ??= []).push({ lines, reason });
  const locals: Record<string, unknown> = {};
  for (const block of Array.isArray(json.locals) ? json.locals : [json.locals]) if (isRecord(block)) Object.assign(locals, block);
  const literalLocal = (value: unknown): unknown => {
    const name = typeof value === 'string' ? /^\$\{local\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1] : undefined;
    return name !== undefined && Object.hasOwn(locals, name) && !JSON.stringify(locals[name]).includes('${') ? locals[name] : value;
  };
  const written = isRecord(json.inputs) ? json.inputs : {};
  const inputs = Object.fromEntries(Object.entries(written).map(([name, value]) => [name, literalLocal(value)]));
  return onTree(held, text, text, (root) => {
    const inputsNode = follow(root, [{ attr: 'inputs' }]);
    const inputsRange = inputsNode.depth === 1 ? rangeOfNode(inputsNode.node) : null;
    const lines: Record<string, Range> = {};
    for (const name of Object.keys(inputs)) {
      const at = follow(root, [{ attr: 'inputs' }, { key: name }]);
      if (at.depth === 2) lines[name] = rangeOfNode(at.node);
    }
    const own: TerragruntInputs = { file, inputs, lines, text };
    const blocks = (keyword: string): TsNode[] => (root.namedChildren.find((c) => c?.type === 'body')?.namedChildren ?? []).filter((c): c is TsNode => c?.type === 'block' && nameOf(c) === keyword);
    // A `generate` block writes files (often Terraform) into the module: code Warden does not review.
    for (const block of blocks('generate')) unseen(rangeOfNode(block), 'what this `generate` block writes into the module Terragrunt runs (Warden does not review generated files)');
    const terraform = firstBody(json.terraform);
    const source = terraform?.source;
    if (typeof source !== 'string') {
      // No module named (a configuration units include, or a unit of this folder's own .tf files): its inputs reach
      // Terraform as variables Warden does not follow from here.
      if (inputsRange && Object.keys(inputs).length > 0 && isTerragruntUnit(file)) unseen(inputsRange, 'Terragrunt passes these inputs as `TF_VAR_` variables to a module this file does not name with a literal `terraform { source = … }`: Warden does not follow them');
      // So it does the inputs of the configurations a unit includes.
      if (isTerragruntUnit(file)) for (const block of blocks('include')) unseen(rangeOfNode(block), 'Terragrunt passes the inputs of the configuration this block includes as `TF_VAR_` variables to a module this unit does not name with a literal `terraform { source = … }`: Warden does not follow them');
      return { inputs: own, unit: null };
    }
    const terraformBlock = blocks('terraform')[0];
    const terraformRange = rangeOfNode(terraformBlock ?? root);
    const inputsOrBlock = [terraformRange, ...(inputsRange ? [inputsRange] : [])];
    // Variables given on Terraform's command line (`-var-file`, `-var`) or as `TF_VAR_` in `env_vars` rank above the
    // inputs and the module folder's own definitions files: what the module gets is not known exactly.
    const settingVariables = Object.entries(isRecord(terraform?.extra_arguments) ? terraform.extra_arguments : {}).filter(([, bodies]) => setsVariables(firstBody(bodies)));
    if (settingVariables.length > 0) {
      const argumentBlocks = (terraformBlock ? bodyOf(terraformBlock)?.namedChildren ?? [] : []).filter((c): c is TsNode => c?.type === 'block' && nameOf(c) === 'extra_arguments');
      const where = settingVariables.map(([label]) => rangeOfNode(argumentBlocks.find((b) => labelsOf(b)[0] === label) ?? terraformBlock ?? root));
      for (const lines of [...where, ...(inputsRange ? [inputsRange] : [])]) unseen(lines, `what this unit deploys: its \`extra_arguments\` give Terraform variables (\`-var-file\`, \`required_var_files\`, \`optional_var_files\`, \`-var\` or \`TF_VAR_\` in \`env_vars\`) that Warden does not read, and they win over the unit's inputs`);
      return { inputs: own, unit: null };
    }
    const includes: FollowedInclude[] = [];
    const includeBodies = Array.isArray(json.include) ? json.include.map((body) => ['', body] as const) : isRecord(json.include) ? Object.entries(json.include).map(([label, bodies]) => [label, firstBody(bodies)] as const) : [];
    const includeBlocks = blocks('include');
    includeBodies.forEach(([label, body], i) => {
      const block = includeBlocks.find((b) => (labelsOf(b)[0] ?? '') === label) ?? includeBlocks[i] ?? root;
      const at = rangeOfNode(block);
      const target = isRecord(body) ? includeTarget(body.path) : null;
      const strategy = isRecord(body) ? (body.merge_strategy ?? 'shallow') : 'shallow';
      const why = !target
        ? 'its `path` is computed otherwise than `find_in_parent_folders(…)` or a literal path'
        : strategy !== 'shallow' && strategy !== 'no_merge'
          ? `its \`merge_strategy\` is ${JSON.stringify(strategy)} (Warden merges only shallowly)`
          : isRecord(body) && body.expose !== undefined && body.expose !== false
            ? 'it is exposed (`expose`): values read through `include.` are not followed'
            : null;
      if (why) {
        for (const lines of [at, ...inputsOrBlock]) unseen(lines, `this unit's inputs, merged with a configuration it includes that Warden cannot follow exactly: ${why}`);
      } else if (strategy === 'shallow') includes.push({ target: target!, lines: at });
    });
    const where: CallSite = { file, text, held, range: inputsRange ?? terraformRange, terragrunt: true };
    const unit: TerragruntUnit = { own, includes, site: where, lines: [...inputsOrBlock, ...includes.map((i) => i.lines)] };
    const registry = registrySource(source);
    const entry = registry ? registryModule(REGISTRY_MODULES, registry.address) : undefined;
    if (/^\.\.?\//.test(source) && !source.includes('${')) {
      unit.call = localModuleCall(UNIT_MODULE, inputs, where, source);
    } else if (entry) {
      unit.registry = (merged) => moduleResources(entry, UNIT_MODULE, registry?.version !== undefined ? { ...merged, version: registry.version } : merged, where);
    } else {
      const reason = `what this unit deploys with its inputs: its module (\`${source}\`) is ${source.includes('${') ? 'named by an expression' : 'remote'}, and Warden fetches no module and does not know this one`;
      for (const lines of inputsOrBlock) unseen(lines, reason);
    }
    return { inputs: own, unit };
  });
}
