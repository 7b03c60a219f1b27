// Build the RepositoryIndex that cross-resource rules read: only the resources they ask about
// (NetworkPolicies, Namespaces, ServiceAccounts, kustomizations, Terraform `kubernetes_labels`), from only the parts of
// files that can hold them: a YAML document is parsed only when it names such a kind (a CRD bundle never is). What
// may hold one but cannot be read (a Helm template, a failed read, a parse over a limit) is listed in `unread`, with
// the kinds it may hold; the rules still run on the rest. Only a listing that is itself incomplete makes the index
// incomplete (the rules then stay silent), and that is listed too.
import { posix } from 'node:path';
import { pathGlobs, type Config } from '../config.js';
import type { Resource } from '../model.js';
import { fileKind, parseFile } from '../formats/index.js';
import { isJsonManifest } from '../formats/json-manifest.js';
import { CHART_TEMPLATE_INDEX_REASON, chartRootOf, chartTemplateTest, isChartArchive } from '../formats/templates.js';
import { filesBelow, skipUnreadable, UnreadableFile, type RepositoryIndex, type RepositoryReader, type UnreadFile } from './repository.js';
import { isKustomizationFile } from './kustomize.js';
import { formatBytes, MAX_FILE_BYTES } from './limits.js';

/**
 * The Kubernetes kinds a YAML document must name to be parsed for the index: every kind a rule declares it looks
 * up (rules/index.ts LOOKED_UP_KINDS; test/repository-index.test.ts checks this list covers them).
 */
const YAML_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'Namespace', 'ServiceAccount',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ResourceQuota', 'LimitRange', 'AuthorizationPolicy', 'HTTPRoute',
  'Application', 'ApplicationSet', 'GitRepository',
  // Not looked up by a rule: the chart review renders a chart of this repository a HelmRelease installs (src/render/gitops-installs.ts).
  'HelmRelease',
]);

/** Kinds (or Terraform types) kept in the index. */
export const INDEXED_KINDS: ReadonlySet<string> = new Set([...YAML_KINDS, 'Kustomization', 'kubernetes_labels']);

/** Terraform that can hold an indexed resource (Terraform JSON names the same types). */
const HCL_HINT = /\b(kubernetes_(network_policy|namespace|service_account|labels|role|cluster_role|role_binding|cluster_role_binding|resource_quota|limit_range)(_v1)?|kubernetes_manifest)\b/;

/** The rules that read each indexed kind from the rest of the repository: named when a file that may hold it is unread. */
export const RULES_READING: Readonly<Record<string, readonly string[]>> = {
  NetworkPolicy: ['k8s/network-policy-missing'],
  Namespace: ['k8s/network-policy-missing'],
  ServiceAccount: ['k8s/automount-service-account-token'],
  CiliumNetworkPolicy: ['k8s/network-policy-missing'],
  CiliumClusterwideNetworkPolicy: ['k8s/network-policy-missing'],
  Role: ['k8s/workload-rbac-escalation'],
  ClusterRole: ['k8s/workload-rbac-escalation'],
  RoleBinding: ['k8s/workload-rbac-escalation'],
  ClusterRoleBinding: ['k8s/workload-rbac-escalation'],
  ResourceQuota: ['k8s/gpu-namespace-quota'],
  LimitRange: ['k8s/gpu-namespace-quota'],
  AuthorizationPolicy: ['k8s/gateway-authz'],
  HTTPRoute: ['k8s/gateway-tls'],
  Kustomization: ['k8s/default-namespace', 'k8s/network-policy-missing'],
  kubernetes_labels: ['k8s/namespace-pss-enforce'],
};

/** The rules an unread file may leave uninformed, in catalog order. */
export function rulesAffectedBy(unread: Pick<UnreadFile, 'kinds'>): string[] {
  return [...new Set(unread.kinds.flatMap((kind) => RULES_READING[kind] ?? []))].sort();
}

/**
 * A file read for the index: the resources it keeps; whether anything of it was parsed; the kinds it may hold (for
 * the rules to name when it cannot be read); and why it could not be read whole, if so.
 */
export interface IndexedParse {
  resources: Resource[];
  parsed: boolean;
  kinds: string[];
  problem: string | null;
}

/**
 * Reads one file for the index (indexFile): in this thread by default; callers with a worker pool pass one that
 * runs it there, so that neither the text scan nor the parse holds the main thread.
 */
export type IndexParser = (path: string, text: string) => Promise<IndexedParse>;

/** A Helm chart's objects for the index (src/render/chart-index.ts): those kept, and its templates not wholly kept, with why. */
export interface IndexedChart {
  resources: Resource[];
  unsettled: { file: string; reason: string }[];
}

/**
 * Renders one chart for the index: its folder (`.` at the root) and every file below it (repository paths), read
 * with `read`; why not, when it could not finish.
 */
/**
 * Indexes the chart at `root` from its files (`paths`); `list` names the files below another folder (a local
 * dependency's, rendered with the chart).
 */
export type ChartIndexer = (
  root: string,
  paths: readonly string[],
  read: (path: string) => Promise<string | null>,
  list?: (dir: string) => Promise<string[]>,
  /** A file's bytes, as RepositoryReader's: a chart's dependency archives are then unpacked and rendered with it. */
  readBytes?: RepositoryReader['readBytes'],
  /** The repository's other indexed objects (the GitOps sources that install its charts among them). */
  indexed?: readonly Resource[],
) => Promise<IndexedChart | { failed: string }>;

export interface IndexOptions {
  /** Files beyond this many candidates make the index incomplete (bounded work on huge repositories). */
  maxFiles?: number;
  /** Files larger than this are not read, and listed as unread. */
  maxBytes?: number;
  /** Parallel reads (the App's reader makes API calls). */
  concurrency?: number;
  parse?: IndexParser;
  /** The kinds the rules look up (rules/index.ts LOOKED_UP_KINDS): every one is in INDEXED_KINDS (a test holds this), and the rules see only theirs. */
  kinds?: ReadonlySet<string>;
  /** Renders the charts whose templates name an indexed kind; without it, such a template is only listed as unread. */
  charts?: ChartIndexer;
}

export interface BuiltIndex extends RepositoryIndex {
  unread: UnreadFile[];
  stats: { candidates: number; read: number; parsed: number };
}

/** Terraform kinds the index may find in a file that names them. */
const TERRAFORM_KINDS = ['Namespace', 'NetworkPolicy', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ResourceQuota', 'LimitRange', 'kubernetes_labels'];

/** Any indexed kind's name anywhere in a text (a `kind:` line naming one holds it, quoted or not). */
const YAML_KIND_NAMES = new RegExp([...YAML_KINDS].join('|'));

/**
 * Whether indexFile may keep anything of the file: false only when it surely keeps nothing, which one regular
 * expression over the text tells, so a caller can leave most files without handing them to a worker.
 */
export function mayIndex(path: string, text: string): boolean {
  if (isKustomizationFile(path)) return true;
  const kind = fileKind(path);
  if (kind === null) return false;
  return kind === 'yaml' || kind === 'json' ? YAML_KIND_NAMES.test(text) : HCL_HINT.test(text);
}

/**
 * What the index keeps of a file: only what can hold an indexed resource is parsed (a kustomization; the YAML
 * documents that name an indexed kind; Terraform that names its types).
 */
export async function indexFile(path: string, text: string): Promise<IndexedParse> {
  if (!mayIndex(path, text)) return { resources: [], parsed: false, kinds: [], problem: null };
  const kind = fileKind(path);
  let toParse: string;
  let kinds: string[];
  if (isKustomizationFile(path)) {
    toParse = text;
    kinds = ['Kustomization'];
  } else if (kind === 'yaml') {
    const part = indexedYaml(text);
    if (!part) return { resources: [], parsed: false, kinds: [], problem: null };
    ({ text: toParse, kinds } = part);
  } else if (kind === 'json') {
    // A JSON manifest (src/formats/json-manifest.ts) is parsed whole when it names an indexed kind; other JSON never.
    kinds = [...YAML_KINDS].filter((k) => text.includes(`"${k}"`)).sort();
    if (kinds.length === 0 || !isJsonManifest(text)) return { resources: [], parsed: false, kinds: [], problem: null };
    toParse = text;
  } else if (kind !== null && HCL_HINT.test(text)) {
    toParse = text;
    kinds = TERRAFORM_KINDS;
  } else return { resources: [], parsed: false, kinds: [], problem: null };
  const parsed = await parseFile(path, toParse);
  if (!parsed) return { resources: [], parsed: false, kinds: [], problem: null };
  parsed.release?.();
  const resources = parsed.resources.filter((r) => INDEXED_KINDS.has(r.kind) || (r.terraform !== undefined && INDEXED_KINDS.has(r.terraform.type)));
  return { resources, parsed: true, kinds, problem: parsed.notReviewed ?? parsed.errors[0]?.message ?? null };
}

function isDocumentStart(line: string): boolean {
  return line.startsWith('---') && (line.length === 3 || line[3] === ' ' || line[3] === '\t' || line[3] === '\r');
}

/** The kind a `kind:` line names (at any indentation, or as a list item's first key) and its column, or null. */
function kindOnLine(line: string): { kind: string; column: number } | null {
  let at = 0;
  while (line[at] === ' ') at++;
  if (line[at] === '-' && line[at + 1] === ' ') {
    at += 2;
    while (line[at] === ' ') at++;
  }
  if (!line.startsWith('kind:', at)) return null;
  let value = line.slice(at + 5);
  const comment = value.indexOf(' #');
  if (comment >= 0) value = value.slice(0, comment);
  value = value.trim();
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
  return { kind: value, column: at };
}

/**
 * The part of a YAML file the index parses: the documents that name an indexed kind, the others blanked to empty
 * lines so that line numbers hold, and the kinds named; null when no document names one. A CustomResourceDefinition
 * defines no workload, NetworkPolicy or ServiceAccount: its documents are never parsed, whatever they mention.
 * One pass over the lines; nothing is parsed here.
 */
export function indexedYaml(text: string): { text: string; kinds: string[] } | null {
  const out: string[] = [];
  const kinds = new Set<string>();
  let doc: string[] = [];
  let named = new Set<string>();
  let topKind: string | null = null;
  const flush = () => {
    if (named.size > 0 && topKind !== 'CustomResourceDefinition') {
      out.push(...doc);
      for (const kind of named) kinds.add(kind);
    } else for (let i = 0; i < doc.length; i++) out.push('');
    doc = [];
    named = new Set();
    topKind = null;
  };
  for (const line of text.split('\n')) {
    if (isDocumentStart(line)) flush();
    doc.push(line);
    const found = kindOnLine(line);
    if (!found) continue;
    if (found.column === 0) topKind ??= found.kind;
    if (YAML_KINDS.has(found.kind)) named.add(found.kind);
  }
  flush();
  return kinds.size > 0 ? { text: out.join('\n'), kinds: [...kinds].sort() } : null;
}

/**
 * The files the index reads, in order: YAML and Terraform first (sorted), then JSON that may be a manifest, up to
 * `maxFiles` in all. JSON comes last because most of it is not Kubernetes: a Node project's JSON must not push
 * manifests out of the budget. The App reads ahead the same list (src/github/run.ts).
 */
export function indexCandidates(paths: readonly string[], wanted: (path: string) => boolean, maxFiles: number): { read: string[]; manifests: number; jsonLeft: number } {
  const manifests: string[] = [];
  const json: string[] = [];
  for (const path of paths) {
    const kind = fileKind(path);
    if (kind === null || !wanted(path)) continue;
    if (kind !== 'json') manifests.push(path);
    else json.push(path);
  }
  manifests.sort();
  json.sort();
  const room = Math.max(0, maxFiles - manifests.length);
  return { read: [...manifests.slice(0, maxFiles), ...json.slice(0, room)], manifests: manifests.length, jsonLeft: Math.max(0, json.length - room) };
}

/** Read the repository through `reader` and keep the resources cross-resource rules need. */
export async function buildRepositoryIndex(reader: RepositoryReader, config: Config, options: IndexOptions = {}): Promise<BuiltIndex> {
  const maxFiles = options.maxFiles ?? 20_000;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const parse = options.parse ?? indexFile;
  const unread: UnreadFile[] = [];
  const everything = [...INDEXED_KINDS].sort();
  let complete = true;

  let paths: string[];
  try {
    paths = await reader.paths();
  } catch (error) {
    const reason = `the repository could not be listed: ${(error as Error).message}`;
    return { resources: [], complete: false, unread: [{ file: '(repository)', reason, kinds: everything }], stats: { candidates: 0, read: 0, parsed: 0 } };
  }
  if (reader.complete && !(await reader.complete().catch(() => false))) {
    complete = false;
    unread.push({ file: '(repository)', reason: `the repository's tree is too large to list whole: only ${paths.length} file${paths.length === 1 ? '' : 's'} of it were listed`, kinds: everything });
  }
  const wanted = pathGlobs(config);
  const isChartTemplate = chartTemplateTest(paths);
  const picked = indexCandidates(paths, wanted, maxFiles);
  const candidates = picked.read;
  if (picked.manifests > maxFiles) {
    complete = false;
    unread.push({ file: '(repository)', reason: `${picked.manifests} candidate files, more than the ${maxFiles} read`, kinds: everything });
  } else if (picked.jsonLeft > 0) {
    // JSON is read only to learn whether it is a manifest at all: what is left over is named, the rules still run.
    unread.push({ file: '(repository)', reason: `${picked.jsonLeft} JSON files beyond the ${maxFiles} files read`, kinds: everything });
  }

  const resources: Resource[] = [];
  /** Chart templates that name an indexed kind, with the kinds. */
  const templates: { file: string; kinds: string[] }[] = [];
  let read = 0;
  let parsed = 0;
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const path = candidates[next++]!;
      let text: string | null;
      let failure = 'it could not be read';
      try {
        text = await reader.read(path);
      } catch (error) {
        text = null;
        failure = error instanceof UnreadableFile ? `it is not read: ${error.reason}` : `it could not be read: ${(error as Error).message}`;
      }
      read++;
      // JSON that cannot be read may be anything, and most JSON is not Kubernetes (a lock file too large to read).
      if ((text === null || text.length > maxBytes) && fileKind(path) === 'json') continue;
      if (text === null) {
        unread.push({ file: path, reason: failure, kinds: everything });
        continue;
      }
      if (text.length > maxBytes) {
        unread.push({ file: path, reason: `it is larger than ${formatBytes(maxBytes)}`, kinds: everything });
        continue;
      }
      // A chart's template may hold a policy once rendered: rendered with its chart below, never parsed as YAML.
      if (isChartTemplate(path) && text.includes('{{')) {
        const part = indexedYaml(text);
        if (part) templates.push({ file: path, kinds: part.kinds });
        continue;
      }
      let result: IndexedParse;
      try {
        result = await parse(path, text);
      } catch (error) {
        result = { resources: [], parsed: true, kinds: everything, problem: (error as Error).message };
      }
      if (result.parsed) parsed++;
      const kinds = result.kinds;
      // A file that names a NetworkPolicy but cannot be read as one may hold the policy a rule is looking for.
      if (result.problem !== null) unread.push({ file: path, reason: result.problem, kinds });
      resources.push(...result.resources);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(candidates.length, 1)) }, worker));
  const charts = await indexCharts(templates, paths, reader, options.charts, resources);
  resources.push(...charts.resources);
  unread.push(...charts.unread);
  resources.sort((a, b) => a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine);
  unread.sort((a, b) => a.file.localeCompare(b.file));
  return { resources, complete, unread, stats: { candidates: candidates.length, read, parsed }, ...(options.charts ? { charts: true } : {}) };
}

/**
 * The objects of the charts whose templates name an indexed kind, rendered by `charts` (each chart from its outermost
 * folder with a Chart.yaml, as a change renders it), and the templates it did not keep whole, listed as unread with
 * why; without `charts`, every such template is listed.
 */
async function indexCharts(
  templates: readonly { file: string; kinds: string[] }[],
  paths: readonly string[],
  reader: RepositoryReader,
  charts: ChartIndexer | undefined,
  indexed: readonly Resource[],
): Promise<{ resources: Resource[]; unread: UnreadFile[] }> {
  const listed = (t: { file: string; kinds: string[] }, reason = CHART_TEMPLATE_INDEX_REASON): UnreadFile => ({ file: t.file, reason, kinds: t.kinds });
  if (!charts) return { resources: [], unread: templates.map((t) => listed(t)) };
  const rootOf = chartRootOf(paths);
  const byRoot = new Map<string, { file: string; kinds: string[] }[]>();
  for (const t of templates) {
    const root = rootOf(t.file) ?? posix.dirname(t.file);
    byRoot.set(root, [...(byRoot.get(root) ?? []), t]);
  }
  // A chart with dependency archives is rendered too, when they can be read: what they deploy is known only unpacked.
  if (reader.readBytes) {
    for (const path of paths) {
      const root = isChartArchive(path) ? rootOf(path) : undefined;
      if (root !== undefined && !byRoot.has(root)) byRoot.set(root, []);
    }
  }
  if (byRoot.size === 0) return { resources: [], unread: [] };
  const resources: Resource[] = [];
  const unread: UnreadFile[] = [];
  // All at once: the reads of every chart go out together (the App's reader batches them), the renders to the workers.
  // A chart's every file (its helpers, `files/`), not only those the config's globs list (reader.list, as a review's render reads them).
  const below = (dir: string) => filesBelow(reader, dir, paths);
  const indexing = [...byRoot].map(([root, own]) => {
    // A file of it Warden does not read (an icon under `files/`) is left out: the chart is indexed without it rather
    // than not at all.
    const read = (path: string) => reader.read(path).catch(skipUnreadable(() => undefined));
    const rendered = below(root).then((files) => charts(root, files, read, below, reader.readBytes?.bind(reader), indexed));
    return { own, indexed: rendered.catch((error: unknown) => ({ failed: (error as Error).message ?? String(error) })) };
  });
  for (const { own, indexed: pending } of indexing) {
    const indexed = await pending;
    if ('failed' in indexed) {
      unread.push(...own.map((t) => listed(t, `a Helm chart's template whose chart could not be rendered for the index (${indexed.failed})`)));
      continue;
    }
    resources.push(...indexed.resources);
    const why = new Map(indexed.unsettled.map((u) => [u.file, u.reason]));
    for (const t of own) if (why.has(t.file)) unread.push(listed(t, why.get(t.file)));
  }
  return { resources, unread };
}

/** An in-memory reader (tests, and callers that already hold the files). */
export function memoryReader(files: Record<string, string>): RepositoryReader {
  return {
    paths: async () => Object.keys(files),
    read: async (path) => files[path] ?? null,
  };
}
