// Companions: fixes that are new objects rather than edits of a line. A namespace that Warden reports without a
// default-deny NetworkPolicy gets a new file next to its manifests holding one, plus the allow policies the change
// itself shows it needs (ingress to the pods its Services select, on their ports; DNS egress). YAML beside YAML, a
// `kubernetes_network_policy_v1` file in the same Terraform module beside Terraform. Each companion is proven like
// an edit: scanned with the file that raised the finding, it has no finding of its own and the finding is gone.
// (S3 companions are the rules' own fixes, which add the resource in the bucket's file.)
import { posix } from 'node:path';
import { stringify } from 'yaml';
import type { Config } from './config.js';
import type { AnyRule } from './engine/define-rule.js';
import { getIn, isRecord } from './engine/path.js';
import type { RepositoryIndex } from './engine/repository.js';
import { PARSE_ERROR } from './engine/meta-findings.js';
import { fileKind } from './formats/index.js';
import { isKustomizationFile } from './formats/kustomization-file.js';
import type { Finding, Resource } from './model.js';
import { resourcesPooled, scanFilesPooled } from './worker/pooled.js';
import { mayGiveContext } from './worker/transfer.js';
import { startPaced } from './common/pace.js';
import { namespaceOf } from '../rules/k8s/support/k8s.js';

export const NETWORK_POLICY_MISSING = 'k8s/network-policy-missing';

/** The kinds a companion is written from: the Services of a namespace, what routes to them, and the Namespace. */
const COMPANION_KINDS: ReadonlySet<string> = new Set(['Service', 'Ingress', 'HTTPRoute', 'GRPCRoute', 'Namespace']);

export interface Companion {
  /** The new file, next to the manifests of the finding's file. */
  file: string;
  text: string;
  description: string;
  /** The findings it clears. */
  findings: Finding[];
}

export interface CompanionContext {
  config: Config;
  rules: readonly AnyRule[];
  repository?: RepositoryIndex;
}

/** An ingress the change shows: a Service's selector and target ports, and what routes to it. */
interface ServiceIngress {
  service: string;
  selector: Record<string, string>;
  ports: { port: number | string; protocol: string }[];
  routedBy: string[];
}

const DNS_PORTS = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

/** A Kubernetes object name from free text: lowercase, [a-z0-9-], at most 63 characters. */
function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'x';
}

function stringRecord(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'string' && !v.includes('${'))) return null;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The Services of a namespace among these resources that select pods, with the Ingresses/HTTPRoutes routing to them. */
export function serviceIngresses(namespace: string, resources: readonly Resource[]): ServiceIngress[] {
  const namespaces = resources.filter((r) => r.kind === 'Namespace');
  const inNamespace = resources.filter((r) => namespaceOf(r, namespaces) === namespace);
  const routes = new Map<string, string[]>();
  const routeTo = (service: unknown, by: string) => {
    if (typeof service === 'string') routes.set(service, [...(routes.get(service) ?? []), by]);
  };
  for (const r of inNamespace) {
    if (r.kind === 'Ingress') {
      routeTo(getIn(r.body, ['spec', 'defaultBackend', 'service', 'name']), `Ingress ${r.name}`);
      const rules = getIn(r.body, ['spec', 'rules']);
      for (const rule of Array.isArray(rules) ? rules : []) {
        const paths = getIn(rule, ['http', 'paths']);
        for (const p of Array.isArray(paths) ? paths : []) routeTo(getIn(p, ['backend', 'service', 'name']), `Ingress ${r.name}`);
      }
    } else if (['HTTPRoute', 'GRPCRoute'].includes(r.kind)) {
      const rules = getIn(r.body, ['spec', 'rules']);
      for (const rule of Array.isArray(rules) ? rules : []) {
        const refs = getIn(rule, ['backendRefs']);
        for (const ref of Array.isArray(refs) ? refs : []) if (isRecord(ref) && (ref.kind ?? 'Service') === 'Service') routeTo(ref.name, `${r.kind} ${r.name}`);
      }
    }
  }
  const out: ServiceIngress[] = [];
  for (const r of inNamespace) {
    if (r.kind !== 'Service') continue;
    const selector = stringRecord(getIn(r.body, ['spec', 'selector']));
    const ports = getIn(r.body, ['spec', 'ports']);
    if (!selector || !Array.isArray(ports) || r.name.includes('${')) continue;
    const targets = ports.flatMap((p) => {
      const port = isRecord(p) ? (p.targetPort ?? p.port) : undefined;
      const protocol = isRecord(p) && typeof p.protocol === 'string' ? p.protocol : 'TCP';
      return typeof port === 'number' || (typeof port === 'string' && port !== '' && !port.includes('${')) ? [{ port, protocol }] : [];
    });
    if (targets.length > 0) out.push({ service: r.name, selector, ports: targets, routedBy: routes.get(r.name) ?? [] });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service));
}

interface PolicySpec {
  name: string;
  comment: string;
  podSelector: Record<string, string>;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: { ports: { port: number | string; protocol: string }[] }[];
  egress?: { to: { namespaceSelector: Record<string, string>; podSelector: Record<string, string> }[]; ports: { port: number | string; protocol: string }[] }[];
}

/** Default deny both ways, DNS egress to kube-dns, and ingress on each Service's ports to the pods it selects. */
export function policiesFor(namespace: string, services: readonly ServiceIngress[]): PolicySpec[] {
  const policies: PolicySpec[] = [
    { name: 'default-deny-all', comment: 'Deny all ingress and egress of every pod not allowed below.', podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    {
      name: 'allow-dns-egress',
      comment: 'Name resolution through the cluster DNS.',
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { 'kubernetes.io/metadata.name': 'kube-system' }, podSelector: { 'k8s-app': 'kube-dns' } }], ports: DNS_PORTS }],
    },
    ...services.map((s) => ({
      name: `allow-${dnsLabel(s.service)}-ingress`,
      comment: `Traffic to Service ${s.service}${s.routedBy.length > 0 ? ` (routed by ${[...new Set(s.routedBy)].join(', ')})` : ''} on its target ports; narrow \`from\` to the gateway's namespace when it is known.`,
      podSelector: s.selector,
      policyTypes: ['Ingress' as const],
      ingress: [{ ports: s.ports }],
    })),
  ];
  return policies.map((p) => ({ ...p, comment: `${p.comment} Generated by Warden for namespace ${namespace}.` }));
}

export function policiesYaml(namespace: string, policies: readonly PolicySpec[]): string {
  return policies
    .map((p) => {
      const spec: Record<string, unknown> = { podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: p.podSelector } : {}, policyTypes: p.policyTypes };
      if (p.ingress) spec.ingress = p.ingress;
      if (p.egress) spec.egress = p.egress.map((e) => ({ to: e.to.map((t) => ({ namespaceSelector: { matchLabels: t.namespaceSelector }, podSelector: { matchLabels: t.podSelector } })), ports: e.ports }));
      const object = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace }, spec };
      return `# ${p.comment}\n${stringify(object, { lineWidth: 0 })}`;
    })
    .join('---\n');
}

function hclString(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function hclMap(labels: Record<string, string>): string {
  return `{ ${Object.entries(labels).map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`).join(', ')} }`;
}

/**
 * `policiesHcl`'s namespace: a reference to the `kubernetes_namespace(_v1)` that creates it when there is one (so
 * Terraform creates the namespace first), else its name.
 */
export function namespaceExpression(namespace: string, resources: readonly Resource[]): string {
  const created = resources.find((r) => r.kind === 'Namespace' && r.terraform?.block === 'resource' && namespaceOf(r) === namespace);
  return created ? `${created.terraform!.type}.${created.terraform!.name}.metadata[0].name` : JSON.stringify(namespace);
}

export function policiesHcl(namespaceExpr: string, policies: readonly PolicySpec[]): string {
  const ports = (list: readonly { port: number | string; protocol: string }[], indent: string) =>
    list.flatMap((p) => [`${indent}ports {`, `${indent}  port     = ${hclString(typeof p.port === 'number' ? String(p.port) : p.port)}`, `${indent}  protocol = ${hclString(p.protocol)}`, `${indent}}`]);
  return policies
    .map((p) => {
      const selector = Object.keys(p.podSelector).length > 0 ? [`    pod_selector {`, `      match_labels = ${hclMap(p.podSelector)}`, `    }`] : ['    pod_selector {}'];
      const ingress = (p.ingress ?? []).flatMap((rule) => ['    ingress {', ...ports(rule.ports, '      '), '    }']);
      const egress = (p.egress ?? []).flatMap((rule) => [
        '    egress {',
        ...ports(rule.ports, '      '),
        ...rule.to.flatMap((t) => ['      to {', '        namespace_selector {', `          match_labels = ${hclMap(t.namespaceSelector)}`, '        }', '        pod_selector {', `          match_labels = ${hclMap(t.podSelector)}`, '        }', '      }']),
        '    }',
      ]);
      return [
        `# ${p.comment}`,
        `resource "kubernetes_network_policy_v1" ${JSON.stringify(p.name.replace(/-/g, '_'))} {`,
        '  metadata {',
        `    name      = ${JSON.stringify(p.name)}`,
        `    namespace = ${namespaceExpr}`,
        '  }',
        '  spec {',
        ...selector,
        `    policy_types = [${p.policyTypes.map((t) => JSON.stringify(t)).join(', ')}]`,
        ...ingress,
        ...egress,
        '  }',
        '}',
      ].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** Where a namespace's policies go: beside the finding's file, a name no file has yet. */
function companionPath(findingFile: string, namespace: string, terraform: boolean, taken: (path: string) => boolean): string | null {
  const dir = posix.dirname(findingFile.split('\\').join('/'));
  const stem = `network-policies-${dnsLabel(namespace)}`;
  for (let i = 1; i <= 9; i++) {
    const name = `${stem}${i === 1 ? '' : `-${i}`}.${terraform ? 'tf' : 'yaml'}`;
    const path = dir === '.' ? name : posix.join(dir, name);
    if (!taken(path)) return path;
  }
  return null;
}

/**
 * The companions of these findings: for each namespace reported by k8s/network-policy-missing, one new file of
 * policies, kept only when proven. `texts` holds the reviewed files (Services and routes are read from them);
 * `taken` says whether a path already exists.
 */
export async function planCompanions(findings: readonly Finding[], texts: ReadonlyMap<string, string>, taken: (path: string) => boolean, context: CompanionContext): Promise<Companion[]> {
  // A composed object's finding sits on its kustomization, which holds no such object: none is planned from it, and
  // no file is parsed for it (at each round of the fix loop, the overlays' findings stay).
  const missing = findings.filter((f) => f.ruleId === NETWORK_POLICY_MISSING && !f.suppressed && !isKustomizationFile(f.file));
  if (missing.length === 0) return [];
  // Only what the companions read is parsed, in the worker pool: the findings' files, and those that may hold a
  // Service, a route or a Namespace (a YAML file that names none of them as a word holds none: src/worker/transfer.ts
  // mayGiveContext).
  const findingFiles = new Set(missing.map((f) => f.file));
  const read = [...texts].filter(([path, text]) => findingFiles.has(path) || mayGiveContext(path, text, COMPANION_KINDS));
  const parsed = await startPaced(read, ([path, text]) => resourcesPooled(path, text, findingFiles.has(path) ? null : COMPANION_KINDS));
  const resources = parsed.flatMap((p) => p?.resources ?? []);
  const namespaces = resources.filter((r) => r.kind === 'Namespace');
  const byId = new Map(resources.map((r) => [`${r.file}\0${r.id}`, r] as const));
  const byNamespace = new Map<string, { findings: Finding[]; terraform: boolean; file: string }>();
  for (const finding of missing) {
    const resource = byId.get(`${finding.file}\0${finding.resource}`);
    const namespace = resource ? namespaceOf(resource, namespaces) : null;
    if (!resource || !namespace) continue;
    const entry = byNamespace.get(namespace) ?? byNamespace.set(namespace, { findings: [], terraform: resource.format !== 'yaml', file: finding.file }).get(namespace)!;
    entry.findings.push(finding);
  }
  const inNamespaces = byNamespaceOf(resources, namespaces);
  const planned: Companion[] = [];
  const chosen = new Set<string>();
  for (const [namespace, entry] of byNamespace) {
    const file = companionPath(entry.file, namespace, entry.terraform, (p) => chosen.has(p) || texts.has(p) || taken(p));
    if (!file) continue;
    const own = inNamespaces.get(namespace) ?? [];
    const policies = policiesFor(namespace, serviceIngresses(namespace, own));
    const text = entry.terraform ? policiesHcl(namespaceExpression(namespace, own), policies) : policiesYaml(namespace, policies);
    chosen.add(file);
    planned.push({ file, text, description: `Add ${file}: a default-deny NetworkPolicy for namespace ${namespace}, DNS egress${policies.length > 2 ? ' and ingress to its Services' : ''}`, findings: entry.findings });
  }
  return proveCompanions(planned, texts, context);
}

/** Resources by the namespace they name (Terraform references resolved against `namespaces`). */
function byNamespaceOf(resources: readonly Resource[], namespaces: readonly Resource[]): Map<string, Resource[]> {
  const grouped = new Map<string, Resource[]>();
  for (const resource of resources) {
    const namespace = namespaceOf(resource, namespaces);
    if (namespace === null) continue;
    const same = grouped.get(namespace);
    if (same) same.push(resource);
    else grouped.set(namespace, [resource]);
  }
  return grouped;
}

/**
 * The companions that are proven, proven together as Fix all applies them: one scan of them all with the files of
 * their findings, not one per namespace (each scan carries the whole repository: one per namespace made Fix all
 * quadratic in the namespaces). A companion's policies are in its own namespace, so none clears another's
 * findings; one that fails is left out and the rest are proven again without it. When the joint scan itself fails,
 * each companion is proven alone.
 */
async function proveCompanions(companions: readonly Companion[], texts: ReadonlyMap<string, string>, context: CompanionContext): Promise<Companion[]> {
  let candidates = companions.filter((c) => fileKind(c.file) !== null);
  while (candidates.length > 0) {
    const verdicts = await proveTogether(candidates, texts, context);
    if (!verdicts) break;
    const proven = candidates.filter((_, i) => verdicts[i]);
    if (proven.length === candidates.length) return proven;
    candidates = proven;
  }
  if (candidates.length === 0) return [];
  const alone: Companion[] = [];
  for (const companion of candidates) if ((await proveTogether([companion], texts, context))?.[0] === true) alone.push(companion);
  return alone;
}

/** Each companion's verdict from one scan of them all, or null when that scan could not be made. */
async function proveTogether(companions: readonly Companion[], texts: ReadonlyMap<string, string>, context: CompanionContext): Promise<boolean[] | null> {
  const sources = [...new Set(companions.flatMap((c) => c.findings.map((f) => f.file)))].flatMap((path) => (texts.has(path) ? [{ path, text: texts.get(path)! }] : []));
  const scan = await scanFilesPooled([...sources, ...companions.map((c) => ({ path: c.file, text: c.text }))], { config: context.config, rules: context.rules, repository: context.repository, renderFixes: false });
  if (scan.errors.length > 0) return null;
  const unparsed = new Set(scan.files.filter((f) => f.errors.length > 0).map((f) => f.file));
  const open = scan.findings.filter((f) => !f.suppressed);
  const withFindings = new Set(open.map((f) => f.file));
  const remaining = new Set(open.filter((f) => f.ruleId !== PARSE_ERROR).map((f) => f.fingerprint));
  return companions.map((c) => !unparsed.has(c.file) && !c.findings.some((f) => unparsed.has(f.file)) && !withFindings.has(c.file) && c.findings.every((f) => !remaining.has(f.fingerprint)));
}

