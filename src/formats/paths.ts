// Terraform `kubernetes_*` resources ↔ the canonical Kubernetes manifest view.
// Forward: a block body (as @cdktf/hcl2json gives it) becomes the camelCase manifest the rules read,
// and every canonical path is recorded with the Terraform path it came from.
// Backward: a canonical path that does not exist yet is spelled the Terraform way, for fixes.
import type { Path } from '../model.js';
import { isRecord, pathKey } from '../common/path.js';
import { ownValue, setOwn } from '../common/own-key.js';

/**
 * One step of a Terraform path: a nested block, an attribute, an object key or a tuple item; or the `content` of the
 * `index`-th `dynamic "<dynamic>"` block here, where a block made from it is written.
 */
export type TfSeg = { block: string; index: number } | { attr: string } | { key: string } | { item: number } | { dynamic: string; index: number };

/** On a block made from a `dynamic` block: which one (its label, and its place among the dynamic blocks of that label). */
export const FROM_DYNAMIC = Symbol('from dynamic block');
export interface DynamicOrigin {
  label: string;
  index: number;
}

/** Where a block of a body is written: in its own text, or in the content of the dynamic block that made it. */
function blockSeg(name: string, index: number, item: unknown): TfSeg {
  const origin = (item as { [FROM_DYNAMIC]?: DynamicOrigin })[FROM_DYNAMIC];
  return origin ? { dynamic: origin.label, index: origin.index } : { block: name, index };
}

const TF_KINDS: Record<string, { kind: string; apiVersion: string }> = {
  kubernetes_pod: { kind: 'Pod', apiVersion: 'v1' },
  kubernetes_deployment: { kind: 'Deployment', apiVersion: 'apps/v1' },
  kubernetes_stateful_set: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  kubernetes_daemon_set: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  kubernetes_daemonset: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  kubernetes_replication_controller: { kind: 'ReplicationController', apiVersion: 'v1' },
  kubernetes_job: { kind: 'Job', apiVersion: 'batch/v1' },
  kubernetes_cron_job: { kind: 'CronJob', apiVersion: 'batch/v1' },
  kubernetes_service: { kind: 'Service', apiVersion: 'v1' },
  kubernetes_namespace: { kind: 'Namespace', apiVersion: 'v1' },
  kubernetes_secret: { kind: 'Secret', apiVersion: 'v1' },
  kubernetes_config_map: { kind: 'ConfigMap', apiVersion: 'v1' },
  kubernetes_service_account: { kind: 'ServiceAccount', apiVersion: 'v1' },
  kubernetes_ingress: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' },
  kubernetes_network_policy: { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' },
  kubernetes_role: { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1' },
  kubernetes_cluster_role: { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1' },
  kubernetes_role_binding: { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1' },
  kubernetes_cluster_role_binding: { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1' },
  kubernetes_resource_quota: { kind: 'ResourceQuota', apiVersion: 'v1' },
  kubernetes_limit_range: { kind: 'LimitRange', apiVersion: 'v1' },
};

/** `kubernetes_deployment_v1` → Deployment; undefined for anything else. */
export function kubernetesKindOf(tfType: string): { kind: string; apiVersion: string } | undefined {
  return TF_KINDS[tfType.replace(/_v\d+$/, '')];
}

/** The Terraform resource types (without their `_v1` twins) that make objects of a Kubernetes kind. */
export function terraformTypesOf(kind: string): string[] {
  return Object.keys(TF_KINDS).filter((type) => TF_KINDS[type]!.kind === kind);
}

/** Blocks that repeat in the provider's schema, and the Kubernetes list each one fills. */
const REPEATED_BLOCKS: Record<string, string> = {
  container: 'containers',
  init_container: 'initContainers',
  ephemeral_container: 'ephemeralContainers',
  volume: 'volumes',
  port: 'ports',
  ports: 'ports',
  env: 'env',
  env_from: 'envFrom',
  volume_mount: 'volumeMounts',
  sysctl: 'sysctls',
  toleration: 'tolerations',
  rule: 'rules',
  subject: 'subjects',
  ingress: 'ingress',
  egress: 'egress',
  from: 'from',
  to: 'to',
  image_pull_secrets: 'imagePullSecrets',
  host_aliases: 'hostAliases',
  topology_spread_constraint: 'topologySpreadConstraints',
  readiness_gate: 'readinessGates',
  http_header: 'httpHeaders',
  match_expressions: 'matchExpressions',
  tls: 'tls',
  path: 'paths',
  items: 'items',
};

/** Where the provider's snake_case does not camelCase into the Kubernetes spelling. */
const NAME_EXCEPTIONS: Record<string, string> = {
  host_ipc: 'hostIPC',
  host_pid: 'hostPID',
  non_resource_urls: 'nonResourceURLs',
  pod_ip: 'podIP',
  cluster_ip: 'clusterIP',
  cluster_ips: 'clusterIPs',
  load_balancer_ip: 'loadBalancerIP',
  external_ips: 'externalIPs',
};
const CAMEL_EXCEPTIONS = Object.fromEntries(Object.entries(NAME_EXCEPTIONS).map(([tf, k8s]) => [k8s, tf]));

export function camelName(tf: string): string {
  return ownValue(NAME_EXCEPTIONS, tf) ?? tf.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function snakeName(k8s: string): string {
  return ownValue(CAMEL_EXCEPTIONS, k8s) ?? k8s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const SINGULAR_OF: Record<string, string> = {
  containers: 'container',
  initContainers: 'init_container',
  ephemeralContainers: 'ephemeral_container',
  volumes: 'volume',
  envFrom: 'env_from',
  volumeMounts: 'volume_mount',
  sysctls: 'sysctl',
  tolerations: 'toleration',
  rules: 'rule',
  subjects: 'subject',
  imagePullSecrets: 'image_pull_secrets',
  topologySpreadConstraints: 'topology_spread_constraint',
};

export interface CanonicalView {
  body: Record<string, unknown>;
  /** pathKey(canonical path) → the Terraform path it was read from. */
  paths: Map<string, TfSeg[]>;
  /** The blocks made from `dynamic` blocks (FROM_DYNAMIC), which have no text of their own. */
  made: Path[];
}

/** Map a `kubernetes_*` block body onto the Kubernetes manifest shape. */
export function toCanonical(tfBody: Record<string, unknown>, kind: string, apiVersion: string): CanonicalView {
  const paths = new Map<string, TfSeg[]>();
  paths.set(pathKey([]), []);
  const made: Path[] = [];
  const body = convertBlock(tfBody, [], [], paths, made);
  return { body: { apiVersion, kind, ...body }, paths, made };
}

function convertBlock(block: Record<string, unknown>, canon: Path, tf: TfSeg[], paths: Map<string, TfSeg[]>, made: Path[]) {
  const out: Record<string, unknown> = {};
  for (const [tfName, value] of Object.entries(block)) {
    const isBlockList = Array.isArray(value) && value.length > 0 && value.every(isRecord);
    if (isBlockList) {
      const plural = ownValue(REPEATED_BLOCKS, tfName);
      if (plural) {
        const items = (value as Record<string, unknown>[]).map((item, index) => {
          const c = [...canon, plural, index];
          const t: TfSeg[] = [...tf, blockSeg(tfName, index, item)];
          if (FROM_DYNAMIC in item) made.push(c);
          paths.set(pathKey(c), t);
          return convertBlock(item, c, t, paths, made);
        });
        paths.set(pathKey([...canon, plural]), [...tf, blockSeg(tfName, 0, value[0])]);
        setOwn(out, plural, items);
      } else {
        const name = camelName(tfName);
        const c = [...canon, name];
        const t: TfSeg[] = [...tf, blockSeg(tfName, 0, value[0])];
        if (FROM_DYNAMIC in (value[0] as object)) made.push(c);
        paths.set(pathKey(c), t);
        setOwn(out, name, convertBlock(value[0] as Record<string, unknown>, c, t, paths, made));
      }
      continue;
    }
    const name = camelName(tfName);
    const c = [...canon, name];
    const t: TfSeg[] = [...tf, { attr: tfName }];
    paths.set(pathKey(c), t);
    // `security_context = { run_as_non_root = true }` written as an object where the schema has a
    // block: read it as the block it stands for. Map attributes (labels, limits, …) keep their keys.
    setOwn(out, name, isRecord(value) && !MAP_ATTRIBUTES.has(tfName) ? convertObject(value, c, t, paths) : recordValue(value, c, t, paths));
  }
  return out;
}

function convertObject(object: Record<string, unknown>, canon: Path, tf: TfSeg[], paths: Map<string, TfSeg[]>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const name = camelName(key);
    const c = [...canon, name];
    const t: TfSeg[] = [...tf, { key }];
    paths.set(pathKey(c), t);
    setOwn(out, name, isRecord(value) && !MAP_ATTRIBUTES.has(key) ? convertObject(value, c, t, paths) : recordValue(value, c, t, paths));
  }
  return out;
}

/** Attribute values keep their keys verbatim (labels, annotations, limits, …). */
function recordValue(value: unknown, canon: Path, tf: TfSeg[], paths: Map<string, TfSeg[]>): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      const c = [...canon, i];
      const t: TfSeg[] = [...tf, { item: i }];
      paths.set(pathKey(c), t);
      return recordValue(item, c, t, paths);
    });
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const c = [...canon, key];
      const t: TfSeg[] = [...tf, { key }];
      paths.set(pathKey(c), t);
      setOwn(out, key, recordValue(v, c, t, paths));
    }
    return out;
  }
  return value;
}

/** Attributes whose value is a map in the provider's schema (never a nested block). */
export const MAP_ATTRIBUTES: ReadonlySet<string> = new Set(['labels', 'annotations', 'limits', 'requests', 'node_selector', 'match_labels', 'data', 'string_data', 'binary_data']);

/**
 * Spell a canonical path in Terraform. The longest prefix that exists keeps its recorded spelling;
 * the rest follows the schema's conventions. Mapped (`kubernetes_*`) paths: intermediate names are
 * blocks, the last is an attribute. Native paths (hcl2json's shape): a name followed by an index is
 * a block, any other name an attribute.
 */
export function toTerraformPath(
  path: Path,
  paths: Map<string, TfSeg[]>,
  options: { native?: boolean; valueIsObject?: boolean } = {},
): TfSeg[] {
  let known = path.length;
  while (known > 0 && !paths.has(pathKey(path.slice(0, known)))) known--;
  const out = [...(paths.get(pathKey(path.slice(0, known))) ?? [])];
  let inAttribute = out.some((seg) => 'attr' in seg);
  // Inside a map attribute (labels, limits, …) keys are data; inside an object written for a block
  // (`security_context = { … }`) they are schema names, spelled the provider's way.
  let verbatimKeys = options.native === true || out.some((seg) => ('attr' in seg && MAP_ATTRIBUTES.has(seg.attr)) || ('key' in seg && MAP_ATTRIBUTES.has(seg.key)));
  for (let i = known; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const next = path[i + 1];
    if (typeof seg === 'number' || inAttribute) {
      if (typeof seg === 'number') out.push({ item: seg });
      else {
        const key = verbatimKeys ? seg : snakeName(seg);
        out.push({ key });
        if (MAP_ATTRIBUTES.has(key)) verbatimKeys = true;
      }
      continue;
    }
    if (options.native) {
      if (typeof next === 'number') {
        out.push({ block: seg, index: next });
        i++;
      } else {
        out.push({ attr: seg });
        inAttribute = true;
      }
      continue;
    }
    const tfName = ownValue(SINGULAR_OF, seg) ?? snakeName(seg);
    if (typeof next === 'number' && ownValue(SINGULAR_OF, seg)) {
      out.push({ block: tfName, index: next });
      i++;
    } else if (MAP_ATTRIBUTES.has(tfName) || (last && !options.valueIsObject) || typeof next === 'number') {
      out.push({ attr: tfName });
      inAttribute = true;
      if (MAP_ATTRIBUTES.has(tfName)) verbatimKeys = true;
    } else {
      out.push({ block: tfName, index: 0 });
    }
  }
  return out;
}

/**
 * A native Terraform body (not mapped): nested arrays of objects are blocks, the rest attributes. `made` gathers the
 * blocks made from `dynamic` blocks.
 */
export function nativePaths(body: Record<string, unknown>, made?: Path[]): Map<string, TfSeg[]> {
  const paths = new Map<string, TfSeg[]>();
  paths.set(pathKey([]), []);
  const visit = (block: Record<string, unknown>, canon: Path, tf: TfSeg[]) => {
    for (const [name, value] of Object.entries(block)) {
      if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
        value.forEach((item, index) => {
          const c = [...canon, name, index];
          const t: TfSeg[] = [...tf, blockSeg(name, index, item)];
          if (FROM_DYNAMIC in (item as object)) made?.push(c);
          paths.set(pathKey(c), t);
          visit(item as Record<string, unknown>, c, t);
        });
        paths.set(pathKey([...canon, name]), [...tf, blockSeg(name, 0, value[0])]);
      } else {
        const c = [...canon, name];
        const t: TfSeg[] = [...tf, { attr: name }];
        paths.set(pathKey(c), t);
        recordValue(value, c, t, paths);
      }
    }
  };
  visit(body, [], []);
  return paths;
}
