// The shared vocabulary of Warden: every other module speaks in these types.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export type FormatName = 'yaml' | 'hcl' | 'tfjson';

/** A path into a resource body: object keys and array indices. */
export type Path = readonly (string | number)[];

/** 1-based, inclusive line range. */
export interface Range {
  startLine: number;
  endLine: number;
}

/** A declarative change at a path; the format decides how it becomes text. */
export type EditOp =
  | {
      op: 'set';
      path: Path;
      value: unknown;
      /**
       * Where a key this set creates may go, as lines of the file: after the first of them that ends an entry of the
       * mapping it joins, or just before its first entry (where a pull request removed lines, so a removed setting
       * comes back where it was); else after the mapping's last entry. A format that cannot place keys ignores it.
       */
      insertAfter?: readonly number[];
    }
  | { op: 'remove'; path: Path }
  | { op: 'append'; path: Path; value: unknown };

/** How a fix may be offered (Ruff's applicability). */
export type Applicability = 'safe' | 'unsafe' | 'display';

/** Lines startLine..endLine (inclusive) replaced by `replacement` (which may hold more or fewer lines). */
export interface Edit {
  file: string;
  startLine: number;
  endLine: number;
  replacement: string;
}

export interface Fix {
  description: string;
  applicability: Applicability;
  /** Absolute paths inside the resource body. */
  ops: EditOp[];
  /** The ops rendered to text by the format: filled in by the engine. */
  edits: Edit[];
  /**
   * On its way from a worker only: the edit of the group of fixes this finding leads, rendered where the file was
   * parsed (src/engine/fix-groups.ts). Taken off as the finding arrives.
   */
  rendered?: { members: string[]; edit: Edit | null };
  /** On its way from a worker only: whether the file's candidate edits, applied together, proved (fileCandidates). */
  proof?: { key: string; proven: boolean };
  /**
   * On its way from a composition only: the edit of the group this finding leads with the keys it sets placed
   * after one of `insertAfter` (where the change removed lines), proven by composing again; null when not proven.
   */
  placed?: { members: string[]; insertAfter: number[]; edit: Edit | null };
}

export interface Suppression {
  reason: string;
  line: number;
  /**
   * The file the comment is in, when it is not the finding's: a chart template's comment above an object whose
   * finding is reported at a values key. The policy judges the comment where it is written.
   */
  file?: string;
  /** The pull request added this suppression (its line is added, or it did not exist at base): set by the review. */
  inPullRequest?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  line: number;
  endLine: number;
  /** Resource identity: `Deployment/models/triton` or `aws_s3_bucket.models`. */
  resource: string;
  /** Absolute path inside the resource body where the finding sits. */
  path: Path;
  fingerprint: string;
  fix: Fix | null;
  suppressed: Suppression | null;
  /** Filled by the baseline: the same fingerprint existed at the base revision. */
  preExisting?: boolean;
  /**
   * The lines of its resource in `file`, when the resource is written there as it is reviewed (not composed or
   * rendered from other text): a review comment may then sit on any line of it that the change touched.
   */
  resourceRange?: Range;
  /** The namespace the finding is about, for a rule whose findings are about the namespace (a missing policy there). */
  namespace?: string;
  /** Fingerprints of the findings this one states too (the other workloads of its namespace; see statedAlso). */
  also?: string[];
  /** Within a composition only (ScanOptions.perBuild): the folder of the Kustomize root whose build has it. */
  build?: string;
}

/** The fingerprints a finding states when it stands for `others` too: its own `also`, theirs and their own. */
export function statedAlso(kept: Finding, others: readonly Finding[]): string[] {
  return [...new Set([...(kept.also ?? []), ...others.flatMap((f) => [f.fingerprint, ...(f.also ?? [])])])];
}

/** A note about a file that was skipped or only partly reviewed (not a finding). */
export interface Note {
  file: string;
  message: string;
}

/** A change of a text: the characters [from, to) replaced by `insert`. */
export interface Splice {
  from: number;
  to: number;
  insert: string;
}

/** The locator and writer of one resource, supplied by its format. */
export interface ResourceSource {
  /**
   * Line range of the node at `path`, or of its nearest existing ancestor (`exact` false). A composed resource
   * (src/compose) also names the origin: the file, object and path inside it that set the value.
   */
  locate(path: Path): Range & { exact: boolean; origin?: ValueOrigin };
  /** Apply ops to the whole file text; returns the new file text. */
  apply(text: string, ops: readonly EditOp[]): string;
  /**
   * The same change as one splice of the text, when the format can say so without writing the new text (one op
   * that replaces one span): a fix is then rendered around the splice alone (src/common/edits.ts spliceEdit).
   */
  splice?(text: string, ops: readonly EditOp[]): Splice | null;
  /** A composed resource renders ops itself, in the files that own each value. */
  render?(ops: readonly EditOp[]): Edit[];
}

/** The file, object and path inside it that set a composed value, and that file's text. */
export interface ValueOrigin {
  file: string;
  resource: string;
  path: Path;
  text: string;
}

/**
 * The local module calls a resource is created through, when they make no instance of its module (`none`: a `count`
 * of 0, an empty `for_each`, in every call or in a call of a module on the way to it) or may make none (`unknown`):
 * the calls that decide, each as its file and name.
 */
export interface ModuleCalls {
  instances: 'none' | 'unknown';
  calls: readonly { file: string; name: string }[];
}

export interface Resource {
  /** `Deployment/models/triton`, `Namespace/ml`, or `aws_s3_bucket.models`. */
  id: string;
  /** Kubernetes kind (also for Terraform `kubernetes_*`), or the Terraform resource/data type. */
  kind: string;
  /** Kubernetes apiVersion when known. */
  apiVersion?: string;
  name: string;
  namespace?: string;
  /**
   * For Terraform: `resource` or `data`; the resource type, e.g. `kubernetes_deployment_v1`. `calls`: where it is of
   * a local module that the calls of it surely create no instance of, or may not create (src/engine/terraform/local-modules.ts).
   */
  terraform?: { block: 'resource' | 'data' | 'module'; type: string; name: string; calls?: ModuleCalls };
  file: string;
  format: FormatName;
  range: Range;
  /**
   * The body rules read. Kubernetes: the manifest object (Terraform `kubernetes_*` mapped onto it,
   * camelCase). Other Terraform: the block's attributes as `@cdktf/hcl2json` gives them
   * (nested blocks are arrays of objects; expressions are `${…}` strings).
   */
  body: Record<string, unknown>;
  source: ResourceSource;
  /** Where the object sits in its document when it is not the document itself: a list's item (`['items', 2]`). */
  documentPath?: Path;
  /** A composed resource: every file and line range that built it (it is changed when any is touched). */
  contributors?: readonly { file: string; range: Range }[];
}

/** Lines of a file that deploy what Warden cannot see, and what that is. */
export interface UnseenPart {
  lines: Range;
  reason: string;
  /** The resource it is of, where evaluation may yet make it known (a Terraform manifest read from a template). */
  resource?: string;
  /**
   * Not reviewed only where a change edits it in a file that was there before, and nothing otherwise (no note): what
   * it selects is reviewed where it is written, and only an edit makes it select something else (an Argo CD source
   * moved to another folder).
   */
  whenEdited?: true;
  /**
   * The repository it deploys from. When that is the repository reviewed, what it selects is reviewed where it is
   * written: only its `whenEdited` and `overFolder` parts count. When it is another, Warden reads none of what it
   * deploys: only its other parts count.
   */
  from?: DeploysFrom;
  /**
   * A setting the tool applies over the build of the folder it deploys (Argo CD's `kustomize.components`, Flux's
   * `patches`), which Warden does not: the folder is reviewed where it is written, without it.
   */
  overFolder?: true;
}

/**
 * Where a GitOps source deploys from: a repository's URL (an Argo CD source's `repoURL`), or a Flux GitRepository by
 * name, whose URL the review looks up. One not found is taken as this repository (a Kustomization's: its edits
 * still count), unless `strict` (a HelmRelease's chart: rendered from this repository only when found to be of it).
 */
export type DeploysFrom = { url: string } | { gitRepository: { name: string; namespace: string | null }; strict: boolean };

export interface ParsedFile {
  file: string;
  format: FormatName;
  text: string;
  resources: Resource[];
  /** Parse failures, each with the line the parser named. */
  errors: { line: number; message: string }[];
  notes: string[];
  /**
   * Why the file as a whole was not reviewed (a limit, binary content, a template that cannot be rendered): the
   * review turns it into a `warden/not-reviewed` finding.
   */
  notReviewed?: string;
  /**
   * Parts of the file that deploy what Warden cannot see (a Terraform module it does not fetch, a Helm chart Argo CD
   * or Flux renders): the review fails closed on one the change touches, and notes the others.
   */
  unseen?: UnseenPart[];
  /** Let go of what the format keeps for rendering fixes cheaply (the parse); later fixes parse again. */
  release?: () => void;
}
