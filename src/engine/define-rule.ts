// A rule is data plus one check. The check reports at paths; it never computes a line number.
import type { Applicability, EditOp, Path, Resource, Severity } from '../model.js';
import type { Config } from '../config.js';
import type { ContainerRef, PodSpecRef } from './scopes.js';
import type { RepositoryIndex } from './repository.js';

export type Scope = 'resource' | 'podSpec' | 'container';

export interface RuleReferences {
  /** Pod Security Standards control name, e.g. "Privileged Containers". */
  pss?: string;
  cis?: string;
  nist?: string;
  checkov?: string;
  kics?: string;
  kubeLinter?: string;
  /** Further reading: URLs. */
  links?: string[];
}

export interface RuleDocs {
  /** Why it matters, for a model-serving workload. */
  why: string;
  /** How to fix it by hand. */
  fix: string;
}

interface TargetBase {
  resource: Resource;
  /** The node the check looks at and its absolute path inside the resource body. */
  node: Record<string, unknown>;
  path: Path;
}
export interface ResourceTarget extends TargetBase {
  scope: 'resource';
}
export interface PodSpecTarget extends TargetBase {
  scope: 'podSpec';
  pod: PodSpecRef;
}
export interface ContainerTarget extends TargetBase {
  scope: 'container';
  pod: PodSpecRef;
  container: ContainerRef;
}
export type TargetOf<S extends Scope> = S extends 'resource' ? ResourceTarget : S extends 'podSpec' ? PodSpecTarget : ContainerTarget;
export type Target = ResourceTarget | PodSpecTarget | ContainerTarget;

/** An op whose path is relative to `base` (default: the target's path). */
export type RelativeOp =
  | { op: 'set'; path: string | Path; value: unknown; base?: Path }
  | { op: 'remove'; path: string | Path; base?: Path }
  | { op: 'append'; path: string | Path; value: unknown; base?: Path };

export interface FixSpec {
  description: string;
  applicability?: Applicability;
  ops: RelativeOp[];
}

export interface Report<M extends string> {
  message: M;
  data?: Record<string, string | number>;
  /** Where the finding sits, relative to `base` (default: the target's path). */
  at?: string | Path;
  base?: Path;
  fix?: FixSpec;
}

export interface RuleContext<M extends string = string> {
  config: Config;
  repository: RepositoryIndex;
  /** Every resource of the files being scanned, changed or not: cross-resource rules look here before the repository. */
  scanned: readonly Resource[];
  /** The kinds this rule declared in `lookups`: all that `visible(ctx)` shows it (native Terraform resources aside). */
  lookups?: ReadonlySet<string>;
  report(report: Report<M>): void;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  docs: RuleDocs;
  references: RuleReferences;
  /** Pod Security Standards level: restricted rules are off when config says `pss_level: baseline`. */
  level?: 'baseline' | 'restricted';
  /** Whether the rule offers a fix (for the catalog and SARIF). */
  fixable: boolean;
  /**
   * What its findings are about when it is not their resource: `namespace`, the namespace the resource is deployed
   * to (named by the report's `data.namespace`). A review states such a finding once per namespace, naming the
   * workloads (src/namespace-findings.ts).
   */
  about?: 'namespace';
  /**
   * `written`: it judges the text the repository holds (a credential committed), not what is deployed from it: it runs
   * on an object as written, never with values a GitOps tool puts in (src/engine/flux-substituted.ts).
   */
  judges?: 'written';
}

export interface Rule<S extends Scope = Scope, M extends string = string> extends RuleMeta {
  scope: S;
  /** Kinds (Kubernetes kinds or Terraform types) the rule looks at; every kind when omitted. */
  kinds?: readonly string[];
  /**
   * Kubernetes kinds (or Terraform types) the check looks up among other resources through `visible(ctx)`. The
   * repository index, the workers' summaries and `visible(ctx)` keep exactly the kinds the rules declare here.
   */
  lookups?: readonly string[];
  /** A further filter on the resource (e.g. a Terraform format only). */
  applies?: (resource: Resource, config: Config) => boolean;
  messages: Record<M, string>;
  check(target: TargetOf<S>, ctx: RuleContext<M>): void;
}

export type AnyRule = Rule<Scope, string>;

export function defineRule<S extends Scope, M extends string>(rule: Rule<S, M>): AnyRule {
  return rule as unknown as AnyRule;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}

export type { EditOp };
