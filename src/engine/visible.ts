// The resources cross-resource rules may read: the scanned files first, then the rest of the repository,
// each once. Built once per evaluation and indexed by kind and Terraform type, so a rule that looks up
// "the NetworkPolicies" or "the public access blocks" for every resource stays linear in the change. The
// repository's part is built once per index and shared by every evaluation whose files change none of its kinds, so
// a job per chart or per composition does not build it again (and what rules derive from its lists holds across them).
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

const NO_RESOURCES: readonly Resource[] = [];

/** A resource's identity among the visible ones: a scanned file's version of it hides the repository's. */
const keyOf = (r: Resource) => `${r.file}\0${r.id}`;

/** Whether a resource answers to one of these kinds: its Kubernetes kind, or its Terraform type. */
const ofKinds = (r: Resource, kinds: readonly string[]) => kinds.includes(r.kind) || (r.terraform !== undefined && kinds.includes(r.terraform.type));

/** Resources of the looked-up kinds, each once (the first of a key), in order, with what each kind's lists are. */
class LookedUp {
  readonly all: Resource[] = [];
  readonly byKey = new Map<string, Resource>();
  readonly kinds = new Set<string>();
  private readonly lists = new Map<string, readonly Resource[]>();

  constructor(resources: readonly Resource[], kinds: ReadonlySet<string>) {
    for (const r of resources) {
      if (!isLookedUp(r, kinds)) continue;
      const key = keyOf(r);
      if (this.byKey.has(key)) continue;
      this.byKey.set(key, r);
      this.all.push(r);
      this.kinds.add(r.kind);
      if (r.terraform) this.kinds.add(r.terraform.type);
    }
  }

  /** Those of these kinds, in order: the same list every time (an empty one too). */
  ofKind(kinds: readonly string[]): readonly Resource[] {
    const key = kinds.join('\0');
    let found = this.lists.get(key);
    if (!found) this.lists.set(key, (found = kinds.some((k) => this.kinds.has(k)) ? this.all.filter((r) => ofKinds(r, kinds)) : NO_RESOURCES));
    return found;
  }
}

/** What of a repository index rules looking up `kinds` see: made once per index and kinds, shared by every job. */
const repositoryPart = memoByIdentity((repository: RepositoryIndex, kinds: ReadonlySet<string>) => new LookedUp(repository.resources, kinds));

/** The objects that place others, for the lists given: the same list (so the same index of them) for the same lists. */
const placersOf = memoByIdentity((kustomizations: readonly Resource[], gitOps: readonly Resource[], repository: RepositoryIndex) =>
  placingObjects(kustomizations, gitOps, { isThisRepository: sameRepository(repository.urls ?? []), root: repository.root ?? '.' }),
);

/** Of a list, what stays deployed: once per list. */
const lastingOf = memoByIdentity((resources: readonly Resource[]) => resources.filter((r) => staysDeployed(r.body)));

const filesOf = memoByIdentity((resources: readonly Resource[]): ReadonlySet<string> => new Set(resources.map((r) => r.file)));

export class VisibleResources {
  /** What the repository index gives these kinds, shared by every job given the same index. */
  private readonly shared: LookedUp;
  /**
   * What the scanned files give, and the kinds whose lists they change (those they hold, and those of the
   * repository's resources they hide); null when they change none.
   */
  private readonly own: { looked: LookedUp; kinds: ReadonlySet<string> } | null;
  private whole: LookedUp | undefined;

  constructor(
    scanned: readonly Resource[],
    private readonly repository: RepositoryIndex,
    private readonly kinds: ReadonlySet<string>,
  ) {
    this.shared = repositoryPart(repository, kinds);
    const looked = new LookedUp(scanned, kinds);
    const hidden = [...looked.byKey.keys()].flatMap((key) => this.shared.byKey.get(key) ?? []);
    const changed = new Set([...looked.kinds, ...hidden.flatMap((r) => (r.terraform ? [r.kind, r.terraform.type] : [r.kind]))]);
    this.own = changed.size === 0 ? null : { looked, kinds: changed };
  }

  /** Every visible resource: the scanned files' first, then the repository's they do not hide. */
  get all(): readonly Resource[] {
    return this.view().all;
  }

  private view(): LookedUp {
    if (!this.own) return this.shared;
    // The scanned files' resources, then the repository's that they do not hide.
    return (this.whole ??= this.shared.all.length === 0 ? this.own.looked : new LookedUp([...this.own.looked.all, ...this.shared.all], this.kinds));
  }

  /**
   * What places manifests in namespaces (src/engine/kustomize.ts kustomizedNamespaces): the kustomizations, and the
   * GitOps objects whose sources of this repository deploy its folders (Argo CD Applications, Flux Kustomizations
   * and their GitRepositories). A rule that asks declares the kinds (rules/k8s/support/k8s.ts PLACING_KINDS).
   */
  placers(): readonly Resource[] {
    return placersOf(this.ofKind('Kustomization'), this.ofKind('Application', 'ApplicationSet', 'GitRepository'), this.repository);
  }

  /**
   * Of these kinds, what stays deployed (src/common/hooks.ts): what a rule counts as protecting something. A hook
   * deleted once it ends protects nothing; a grant it makes is there while it runs, so grants are read with ofKind.
   */
  lasting(...kinds: string[]): readonly Resource[] {
    return lastingOf(this.ofKind(...kinds));
  }

  /** Whether a visible resource is written in this file. */
  holdsFile(file: string): boolean {
    return filesOf(this.all).has(file);
  }

  /** Resources whose Kubernetes kind or Terraform type is one of `kinds`, in visibility order. */
  ofKind(...kinds: string[]): readonly Resource[] {
    // The same list every time, an empty one too, and the repository's own list across jobs when the scanned files
    // change none of these kinds: rules keep what they judged of a list by it (rules/k8s/support/network.ts).
    const own = this.own;
    return own && kinds.some((k) => own.kinds.has(k)) ? this.view().ofKind(kinds) : this.shared.ofKind(kinds);
  }
}

const NONE: ReadonlySet<string> = new Set();
/**
 * The resources a rule may look up: of the kinds it declared (`ctx.lookups`), so a rule that forgot to declare one
 * sees none of it in its own tests rather than only where another rule happens to declare it. The same object for
 * every check of one rule in one evaluation.
 */
export function visible(ctx: { scanned: readonly Resource[]; repository: RepositoryIndex; lookups?: ReadonlySet<string> }): VisibleResources {
  return visibleOf(ctx.scanned, ctx.repository, ctx.lookups ?? NONE);
}
const visibleOf = memoByIdentity((scanned: readonly Resource[], repository: RepositoryIndex, kinds: ReadonlySet<string>) => new VisibleResources(scanned, repository, kinds));
