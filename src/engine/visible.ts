// The resources cross-resource rules may read: the scanned files first, then the rest of the repository,
// each once. Built once per evaluation and indexed by kind and Terraform type, so a rule that looks up
// "the NetworkPolicies" or "the public access blocks" for every resource stays linear in the change.
import type { Resource } from '../model.js';
import type { RepositoryIndex } from './repository.js';

/** The Kubernetes kinds cross-resource rules read about other objects (the repository index keeps these too). */
export const CROSS_RESOURCE_KINDS: ReadonlySet<string> = new Set(['NetworkPolicy', 'Namespace', 'ServiceAccount', 'Kustomization']);

/**
 * What a cross-resource rule may look up: those kinds, and native Terraform resources (satellites of a
 * bucket, IAM attachments, node pools, policy documents). Workloads are never looked up, so they need not be
 * handed around: the worker pool sends each worker only these.
 */
export function isLookedUp(resource: Resource | Omit<Resource, 'source'>): boolean {
  return CROSS_RESOURCE_KINDS.has(resource.kind) || (resource.terraform !== undefined && resource.kind === resource.terraform.type);
}

export class VisibleResources {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();

  constructor(scanned: readonly Resource[], repository: RepositoryIndex) {
    const seen = new Set<string>();
    const all: Resource[] = [];
    for (const r of [...scanned, ...repository.resources]) {
      if (!isLookedUp(r)) continue;
      const key = `${r.file}\0${r.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(r);
      // A mapped Terraform resource answers to its Kubernetes kind and to its Terraform type.
      for (const k of new Set([r.kind, r.terraform?.type])) {
        if (!k) continue;
        const list = this.byKind.get(k);
        if (list) list.push(r);
        else this.byKind.set(k, [r]);
      }
    }
    this.all = all;
  }

  /** Resources whose Kubernetes kind or Terraform type is one of `kinds`, in visibility order. */
  ofKind(...kinds: string[]): readonly Resource[] {
    if (kinds.length === 1) return this.byKind.get(kinds[0]!) ?? [];
    const wanted = new Set(kinds.flatMap((k) => this.byKind.get(k) ?? []));
    return this.all.filter((r) => wanted.has(r));
  }
}

const cache = new WeakMap<readonly Resource[], WeakMap<RepositoryIndex, VisibleResources>>();

/** The visible resources of a rule context; the same object for every check of one evaluation. */
export function visible(ctx: { scanned: readonly Resource[]; repository: RepositoryIndex }): VisibleResources {
  let byRepository = cache.get(ctx.scanned);
  if (!byRepository) cache.set(ctx.scanned, (byRepository = new WeakMap()));
  let set = byRepository.get(ctx.repository);
  if (!set) byRepository.set(ctx.repository, (set = new VisibleResources(ctx.scanned, ctx.repository)));
  return set;
}
