// Build the RepositoryIndex that cross-resource rules read: only the kinds they declare they look up
// (rules/index.ts LOOKED_UP_KINDS: NetworkPolicies, Namespaces, bindings, quotas, …), from only the files
// that can hold them. Anything that keeps the picture from being whole marks the index incomplete,
// and the cross-resource rules then stay silent.
import { pathGlobs, type Config } from '../config.js';
import type { Resource } from '../model.js';
import { fileKind, parseFile } from '../formats/index.js';
import type { RepositoryIndex, RepositoryReader } from './repository.js';
import { isKustomizationFile } from './kustomize.js';
import { terraformTypesOf } from '../formats/paths.js';

/**
 * Cheap text tests: a file that matches neither cannot hold an object of those kinds, so it is never parsed.
 * Kubernetes kinds are PascalCase, Terraform types snake_case (both plain identifiers: see lookedUpKinds); a
 * `kubernetes_manifest` may make any kind.
 */
export function kindHints(kinds: ReadonlySet<string>): { yaml: RegExp; hcl: RegExp } {
  const kubernetes = [...kinds].filter((k) => /^[A-Z]/.test(k));
  const terraform = [...new Set([...[...kinds].filter((k) => !/^[A-Z]/.test(k)), ...kubernetes.flatMap(terraformTypesOf)])];
  const alternatives = (names: string[]) => (names.length === 0 ? '(?!)' : names.join('|'));
  return {
    yaml: new RegExp(`^\\s*kind:\\s*["']?(${alternatives(kubernetes)})["']?\\s*(#.*)?$`, 'm'),
    hcl: new RegExp(`\\b((${alternatives(terraform)})(_v\\d+)?|kubernetes_manifest)\\b`),
  };
}

export interface IndexOptions {
  /**
   * Kinds (or Terraform types) kept: the rules' declared lookups (rules/index.ts LOOKED_UP_KINDS). Omitted, every
   * file is parsed and every object kept: slower, never wrong.
   */
  kinds?: ReadonlySet<string>;
  /** Files beyond this many candidates make the index incomplete (bounded work on huge repositories). */
  maxFiles?: number;
  /** Files larger than this are skipped, making the index incomplete. */
  maxBytes?: number;
  /** Parallel reads (the App's reader makes API calls). */
  concurrency?: number;
}

export interface BuiltIndex extends RepositoryIndex {
  /** Why the index is incomplete, or what was skipped. */
  notes: string[];
  stats: { candidates: number; read: number; parsed: number };
}

/** Read the repository through `reader` and keep the resources cross-resource rules need. */
export async function buildRepositoryIndex(reader: RepositoryReader, config: Config, options: IndexOptions = {}): Promise<BuiltIndex> {
  const maxFiles = options.maxFiles ?? 20_000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const kinds = options.kinds;
  const hints = kinds ? kindHints(kinds) : null;
  const kept = (resource: Resource) => !kinds || kinds.has(resource.kind) || (resource.terraform !== undefined && kinds.has(resource.terraform.type));
  const notes: string[] = [];
  let complete = true;
  const incomplete = (note: string) => {
    complete = false;
    notes.push(note);
  };

  let paths: string[];
  try {
    paths = await reader.paths();
  } catch (error) {
    return { resources: [], complete: false, notes: [`repository could not be listed: ${(error as Error).message}`], stats: { candidates: 0, read: 0, parsed: 0 } };
  }
  const wanted = pathGlobs(config);
  let candidates = paths.filter((p) => fileKind(p) !== null && wanted(p)).sort();
  if (candidates.length > maxFiles) {
    incomplete(`${candidates.length} candidate files, more than the ${maxFiles} read`);
    candidates = candidates.slice(0, maxFiles);
  }

  const resources: Resource[] = [];
  let read = 0;
  let parsed = 0;
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const path = candidates[next++]!;
      let text: string | null;
      try {
        text = await reader.read(path);
      } catch (error) {
        text = null;
        notes.push(`${path}: ${(error as Error).message}`);
      }
      read++;
      if (text === null) {
        incomplete(`${path} could not be read`);
        continue;
      }
      if (text.length > maxBytes) {
        incomplete(`${path} is larger than ${maxBytes} bytes: skipped`);
        continue;
      }
      const kind = fileKind(path);
      // Terraform JSON names the same resource types as HCL.
      if (hints && !(kind === 'yaml' ? hints.yaml : hints.hcl).test(text) && !isKustomizationFile(path)) continue;
      let file;
      try {
        file = await parseFile(path, text);
      } catch (error) {
        incomplete(`${path} could not be parsed: ${(error as Error).message}`);
        continue;
      }
      if (!file) continue;
      parsed++;
      // A file that mentions a NetworkPolicy but cannot be read as one (a Helm template, a syntax error)
      // may hold the policy a rule is looking for.
      if (file.errors.length > 0 || (file.notes.length > 0 && file.resources.length === 0)) {
        incomplete(`${path} may hold an object cross-resource rules look up that Warden cannot read (${file.errors[0]?.message ?? file.notes[0]})`);
      }
      for (const resource of file.resources) {
        if (kept(resource)) resources.push(resource);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(candidates.length, 1)) }, worker));
  resources.sort((a, b) => a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine);
  return { resources, complete, notes, stats: { candidates: candidates.length, read, parsed } };
}

/** An in-memory reader (tests, and callers that already hold the files). */
export function memoryReader(files: Record<string, string>): RepositoryReader {
  return {
    paths: async () => Object.keys(files),
    read: async (path) => files[path] ?? null,
  };
}
