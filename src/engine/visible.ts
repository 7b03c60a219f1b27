// The resources cross-resource rules may read: the scanned files first, then the rest of the repository,
// each once. Built once per evaluation and indexed by kind and Terraform type, so a rule that looks up
// "the NetworkPolicies" or "the public access blocks" for every resource stays linear in the change.
import type { Resource } from '../model.js';
import type { RepositoryIndex } from './repository.js';
import type { AnyRule } from './define-rule.js';
import { placingObjects } from './kustomize.js';
import { sameRepository } from '../common/repository-url.js';
import { staysDeployed } from '../common/hooks.js';
import { memoByIdentity } from '../common/memo.js';

/** The kinds some rules look up: read from their own `lookups` declarations, and nowhere else. */
export function lookedUpKinds(rules: readonly Pick<AnyRule, 'lookups'>[]): ReadonlySet<string> {
  const kinds = new Set(rules.flatMap((rule) => rule.lookups ?? []));
  // Kinds and Terraform types are identifiers; the repository index matches them in file text.
  for (const kind of kinds) if (!/^\w+$/.test(kind)) throw new Error(`a rule looks up \`${kind}\`, which is no kind or Terraform type`);
  return kinds;
}

const ruleLookups = new WeakMap<Pick<AnyRule, 'lookups'>, ReadonlySet<string>>();

/** One rule's lookups, the same set every time: `visible(ctx)` caches by it, so it is built once per job, not per file. */
export function lookupsOf(rule: Pick<AnyRule, 'lookups'>): ReadonlySet<string> {
  let kinds = ruleLookups.get(rule);
  if (!kinds) ruleLookups.set(rule, (kinds = lookedUpKinds([rule])));
  return kinds;
}

/**
 * Whether a rule looking up `kinds` may see this resource: one of those kinds (by Kubernetes kind or Terraform
 * type), or a native Terraform resource (satellites of a bucket, IAM attachments, node pools, policy documents,
 * which Terraform references reach by address). Workloads are never looked up, so they need not be handed around:
 * the worker pool sends each worker only these.
 */
export function isLookedUp(resource: Resource | Omit<Resource, 'source'>, kinds: ReadonlySet<string>): boolean {
  if (kinds.has(resource.kind)) return true;
  if (!resource.terraform) return false;
  return resource.kind === resource.terraform.type || kinds.has(resource.terraform.type);
}

export class VisibleResources {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byKinds = new Map<string, readonly Resource[]>();

  private placing: readonly Resource[] | undefined;
  private readonly urls: readonly string[];
  private readonly root: string;

  constructor(scanned: readonly Resource[], repository: RepositoryIndex, kinds: ReadonlySet<string>) {
    this.urls = repository.urls ?? [];
    this.root = repository.root ?? '.';
    const seen = new Set<string>();
    const all: Resource[] = [];
    for (const r of [...scanned, ...repository.resources]) {
      if (!isLookedUp(r, kinds)) continue;
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
  /**
   * What places manifests in namespaces (src/engine/kustomize.ts kustomizedNamespaces): the kustomizations, and the
   * GitOps objects whose sources of this repository deploy its folders (Argo CD Applications, Flux Kustomizations
   * and their GitRepositories). A rule that asks declares the kinds (rules/k8s/support/k8s.ts PLACING_KINDS).
   */
  placers(): readonly Resource[] {
    return (this.placing ??= placingObjects(this.ofKind('Kustomization'), this.ofKind('Application', 'ApplicationSet', 'GitRepository'), { isThisRepository: sameRepository(this.urls), root: this.root }));
  }

  /**
   * Of these kinds, what stays deployed (src/common/hooks.ts): what a rule counts as protecting something. A hook
   * deleted once it ends protects nothing; a grant it makes is there while it runs, so grants are read with ofKind.
   */
  lasting(...kinds: string[]): readonly Resource[] {
    const key = `lasting\0${kinds.join('\0')}`;
    let found = this.byKinds.get(key);
    if (!found) this.byKinds.set(key, (found = this.ofKind(...kinds).filter((r) => staysDeployed(r.body))));
    return found;
  }

  /** Whether a visible resource is written in this file. */
  holdsFile(file: string): boolean {
    return (this.files ??= new Set(this.all.map((r) => r.file))).has(file);
  }
  private files: ReadonlySet<string> | undefined;

  ofKind(...kinds: string[]): readonly Resource[] {
    // The same list every time, an empty one too: rules keep what they judged of a list by it (rules/k8s/support/network.ts).
    if (kinds.length === 1) return this.byKind.get(kinds[0]!) ?? NO_RESOURCES;
    // Asked for every resource a rule checks: the list for a set of kinds is made once.
    const key = kinds.join('\0');
    let found = this.byKinds.get(key);
    if (!found) {
      const wanted = new Set(kinds.flatMap((k) => this.byKind.get(k) ?? []));
      this.byKinds.set(key, (found = this.all.filter((r) => wanted.has(r))));
    }
    return found;
  }
}

const NONE: ReadonlySet<string> = new Set();
const NO_RESOURCES: readonly Resource[] = [];
/**
 * The resources a rule may look up: of the kinds it declared (`ctx.lookups`), so a rule that forgot to declare one
 * sees none of it in its own tests rather than only where another rule happens to declare it. The same object for
 * every check of one rule in one evaluation.
 */
export function visible(ctx: { scanned: readonly Resource[]; repository: RepositoryIndex; lookups?: ReadonlySet<string> }): VisibleResources {
  return visibleOf(ctx.scanned, ctx.repository, ctx.lookups ?? NONE);
}
const visibleOf = memoByIdentity((scanned: readonly Resource[], repository: RepositoryIndex, kinds: ReadonlySet<string>) => new VisibleResources(scanned, repository, kinds));
