// Which format a file is, and its parser.
import { BINARY_SNIFF_BYTES } from '../common/limits.js';
import type { ParsedFile } from '../model.js';
import { initHcl, parseHcl, type HclConversions } from './hcl.js';
import { isVarFilePath, parseVarFile } from './hcl-vars.js';
import { isKustomizationFile } from './kustomization-file.js';
import { isJsonManifest, isJsonManifestText, parseJsonManifest } from './json-manifest.js';
import { renderedElsewhere } from './rendered-elsewhere.js';
import { unreadPods } from './unread-pods.js';
import { isTerragruntConfig, isTerragruntUnit } from './terragrunt.js';
import { parseTfJson } from './tfjson.js';
import { stripBom } from './text.js';
import type { UnreadDocuments } from './unread-documents.js';
import { parseYaml } from './yaml.js';

/**
 * `hcl`, `tfjson`: Terraform configuration (`*.tf`, `*.tf.json`), and OpenTofu's (`*.tofu`, `*.tofu.json`), which
 * OpenTofu reads as it reads those (./opentofu.ts says which of a folder's files it loads).
 * `tfvars`: Terraform variable definitions (`*.tfvars`, `*.tfvars.json`), read for the module in their folder.
 * `json`: Kubernetes manifests in JSON, recognised by content (src/formats/json-manifest.ts); other JSON is skipped.
 * A Terragrunt unit, `terragrunt.hcl`, is `hcl`: it calls a Terraform module (./terragrunt.ts). `terragrunt`: any
 * other `*.hcl` file, read only as a Terragrunt configuration a unit includes (never as Terraform); no default
 * `paths.include` names one.
 */
export type FileKind = 'yaml' | 'hcl' | 'tfjson' | 'tfvars' | 'json' | 'terragrunt';

/**
 * JSON files whose names their own tools define (never a Kubernetes manifest), and anything under node_modules:
 * not even read, so a pull request that updates a lock file costs no blob read.
 */
const NOT_MANIFEST_JSON = /(^|\/)(node_modules\/|(package|package-lock|npm-shrinkwrap|composer|jsconfig|renovate|\.eslintrc|tsconfig[^/]*)\.json$)/;

export function fileKind(path: string): FileKind | null {
  let kind = kinds.get(path);
  if (kind === undefined) {
    kind = kindOf(path);
    if (kinds.size >= MAX_KINDS_KEPT) kinds.clear();
    kinds.set(path, kind);
  }
  return kind;
}

/**
 * Kinds by path, kept: a review asks it of each of a repository's paths several times over, in one turn of the
 * server's event loop (a 3,000-file pull request's paths filtered by kind held it ~65 ms). Bounded for a server.
 */
const kinds = new Map<string, FileKind | null>();
const MAX_KINDS_KEPT = 50_000;

function kindOf(path: string): FileKind | null {
  // `Kustomization` (no extension) is YAML: kustomize reads it as it does `kustomization.yaml`.
  if (isKustomizationFile(path)) return 'yaml';
  const lower = path.toLowerCase();
  if (isVarFilePath(lower)) return 'tfvars';
  if (lower.endsWith('.tf.json') || lower.endsWith('.tofu.json')) return 'tfjson';
  if (lower.endsWith('.tf') || lower.endsWith('.tofu') || isTerragruntUnit(path)) return 'hcl';
  if (isTerragruntConfig(path)) return 'terragrunt';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json') && !NOT_MANIFEST_JSON.test(lower)) return 'json';
  return null;
}

/**
 * Whether a file goes to a thread that loads Terraform's parsers: HCL, and variable definitions files (the same
 * thread's runtime reads them).
 */
export function isTerraformFile(path: string): boolean {
  const kind = fileKind(path);
  return kind === 'hcl' || kind === 'tfvars' || kind === 'terragrunt';
}

export interface ParseOptions {
  /** YAML documents of kinds no rule reads, which may be left unparsed (rules/index.ts UNREAD_DOCUMENTS). */
  unread?: UnreadDocuments;
  /**
   * false: no positions are asked of this parse (a proof compares fingerprints only), so Terraform's syntax tree is
   * not built; locating in it then parses the text.
   */
  positions?: boolean;
  /** hcl2json's values of Terraform texts parsed before (src/formats/hcl.ts HclConversions). */
  hclConversions?: HclConversions;
}

export async function parseFile(path: string, raw: string, options: ParseOptions = {}): Promise<ParsedFile | null> {
  const kind = fileKind(path);
  // Other JSON (package.json, dashboards, …) is not Warden's: skipped quietly, not even as empty or binary.
  if (kind === null || (kind === 'json' && !isJsonManifest(raw))) return null;
  const skipped = unparseable(path, kind, raw);
  if (skipped) return skipped;
  const text = stripBom(raw);
  switch (kind) {
    case 'yaml':
      return withUnseen(isJsonManifestText(text) ? parseJsonManifest(path, text) : parseYaml(path, text, options.unread));
    case 'hcl':
    case 'terragrunt':
      return parseHcl(path, text, options.positions !== false, options.hclConversions);
    case 'tfjson':
      // A template directive is evaluated with the HCL grammar (src/formats/hcl-eval.ts), loaded only then.
      if (text.includes('%{')) await initHcl();
      return parseTfJson(path, text);
    case 'tfvars':
      return parseVarFile(path, text);
    case 'json':
      return withUnseen(parseJsonManifest(path, text));
  }
}

/**
 * A manifest file with the objects in it that deploy what another tool renders (src/formats/rendered-elsewhere.ts),
 * and the pod settings Warden does not read as pod specs (src/formats/unread-pods.ts).
 */
function withUnseen(parsed: ParsedFile): ParsedFile {
  const unseen = [...renderedElsewhere(parsed.resources), ...unreadPods(parsed.resources)];
  if (unseen.length > 0) parsed.unseen = [...(parsed.unseen ?? []), ...unseen];
  return parsed;
}

/** Text no parser should see (binary) or that holds nothing: a note, no parse. */
function unparseable(file: string, kind: FileKind, text: string): ParsedFile | null {
  // A JSON manifest's body is a YAML manifest's (JSON is YAML 1.2); only its writer differs.
  const format = kind === 'tfvars' ? (file.toLowerCase().endsWith('.json') ? 'tfjson' : 'hcl') : kind === 'json' ? 'yaml' : kind === 'terragrunt' ? 'hcl' : kind;
  if (text.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return { file, format, text, resources: [], errors: [], notes: [], notReviewed: 'binary content' };
  if (stripBom(text).trim() === '') return { file, format, text, resources: [], errors: [], notes: ['empty file: nothing to review'] };
  return null;
}
