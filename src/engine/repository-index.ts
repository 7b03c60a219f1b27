// Build the RepositoryIndex that cross-resource rules read: only the resources they ask about
// (NetworkPolicies, Namespaces, ServiceAccounts, kustomizations, Terraform `kubernetes_labels`), from only the files
// that can hold them. Anything that keeps the picture from being whole marks the index incomplete,
// and the cross-resource rules then stay silent.
import { pathGlobs, type Config } from '../config.js';
import type { Resource } from '../model.js';
import { fileKind, parseFile } from '../formats/index.js';
import type { RepositoryIndex, RepositoryReader } from './repository.js';
import { isKustomizationFile } from './kustomize.js';
import { CROSS_RESOURCE_KINDS } from './visible.js';

/** Kinds (or Terraform types) kept in the index. */
export const INDEXED_KINDS: ReadonlySet<string> = new Set([...CROSS_RESOURCE_KINDS, 'kubernetes_labels']);

/** Cheap text tests: a file that matches none cannot hold an indexed resource, so it is never parsed. */
const YAML_HINT = /^\s*kind:\s*["']?(NetworkPolicy|Namespace|ServiceAccount)["']?\s*(#.*)?$/m;
const HCL_HINT = /\b(kubernetes_(network_policy|namespace|service_account|labels)(_v1)?|kubernetes_manifest)\b/;

export interface IndexOptions {
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
      if (!(kind === 'yaml' ? YAML_HINT : HCL_HINT).test(text) && !isKustomizationFile(path)) continue;
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
        incomplete(`${path} may hold a NetworkPolicy or Namespace Warden cannot read (${file.errors[0]?.message ?? file.notes[0]})`);
      }
      for (const resource of file.resources) {
        if (INDEXED_KINDS.has(resource.kind) || (resource.terraform && INDEXED_KINDS.has(resource.terraform.type))) resources.push(resource);
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
