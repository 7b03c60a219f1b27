import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import { visible } from '../../src/engine/visible.js';
import { memoByIdentity } from '../../src/common/memo.js';
import type { Path, Resource } from '../../src/model.js';
import { GPU_RESOURCES, landingNamespaces, SYSTEM_NAMESPACES, PLACING_KINDS } from './support/k8s.js';

/** Whether a ResourceQuota's `hard` or a LimitRange's `max` caps the accelerator `gpu`. */
function caps(policy: Resource, gpu: string): boolean {
  if (policy.kind === 'ResourceQuota') {
    const hard = getIn(policy.body, ['spec', 'hard']);
    return isRecord(hard) && [gpu, `requests.${gpu}`, `limits.${gpu}`].some((key) => hard[key] !== undefined);
  }
  const limits = getIn(policy.body, ['spec', 'limits']);
  return Array.isArray(limits) && limits.some((limit) => isRecord(limit) && isRecord(limit.max) && limit.max[gpu] !== undefined);
}

/** The accelerators a ResourceQuota's `hard` or a LimitRange's `max` caps (`nvidia.com/gpu`). */
export function cappedAccelerators(policy: Resource): string[] {
  const keys =
    policy.kind === 'ResourceQuota'
      ? Object.keys((getIn(policy.body, ['spec', 'hard']) as Record<string, unknown> | undefined) ?? {}).map((key) => key.replace(/^(requests|limits)\./, ''))
      : [getIn(policy.body, ['spec', 'limits'])].flatMap((limits) => (Array.isArray(limits) ? limits : [])).flatMap((limit) => (isRecord(limit) && isRecord(limit.max) ? Object.keys(limit.max) : []));
  return [...new Set(keys.filter((key) => GPU_RESOURCES.test(key) && caps(policy, key)))];
}

/**
 * The accelerators quotas and limits cap, by the namespaces they land in (in the objects' order): once per list, asked
 * for every pod here and for every namespace a change took a quota from (src/lost-protections.ts).
 */
export const cappedByNamespace = memoByIdentity((objects: readonly Resource[], namespaces: readonly Resource[], kustomizations: readonly Resource[]): ReadonlyMap<string, ReadonlySet<string>> => {
  const byNamespace = new Map<string, Set<string>>();
  for (const object of objects) {
    const capped = cappedAccelerators(object);
    if (capped.length === 0) continue;
    for (const namespace of landingNamespaces(object, namespaces, kustomizations)) {
      const found = byNamespace.get(namespace);
      if (found) for (const gpu of capped) found.add(gpu);
      else byNamespace.set(namespace, new Set(capped));
    }
  }
  return byNamespace;
});

function quotaYaml(namespace: string, gpu: string): string {
  return ['```yaml', 'apiVersion: v1', 'kind: ResourceQuota', 'metadata:', '  name: accelerators', `  namespace: ${namespace}`, 'spec:', '  hard:', `    requests.${gpu}: "4"  # what this namespace may hold at once`, '```'].join('\n');
}

function quotaHcl(namespace: string, gpu: string): string {
  return ['```hcl', 'resource "kubernetes_resource_quota_v1" "accelerators" {', '  metadata {', '    name      = "accelerators"', `    namespace = ${JSON.stringify(namespace)}`, '  }', '  spec {', '    hard = {', `      ${JSON.stringify(`requests.${gpu}`)} = 4 # what this namespace may hold at once`, '    }', '  }', '}', '```'].join('\n');
}

export default defineRule({
  id: 'k8s/gpu-namespace-quota',
  severity: 'medium',
  title: 'GPU workload in a namespace without an accelerator quota',
  fixable: false,
  about: 'namespace',
  scope: 'podSpec',
  lookups: ['ResourceQuota', 'LimitRange', 'Namespace', ...PLACING_KINDS],
  docs: {
    why:
      'Accelerators are the scarcest and most expensive thing in a model-serving cluster. Without a ResourceQuota (or ' +
      'a LimitRange maximum) on the GPU resource, one namespace\'s autoscaler, a runaway batch job or whoever can ' +
      'create pods there (a stolen CI token is enough) takes every GPU of the cluster: other teams\' models stop ' +
      'serving, and with cluster autoscaling the bill grows without bound (GPU cryptomining is the most common abuse ' +
      'of stolen Kubernetes credentials).',
    fix:
      'Add a ResourceQuota to the namespace with `requests.nvidia.com/gpu` (or the accelerator used) set to what the ' +
      'namespace may hold at once (the comment carries one), or a LimitRange with a `max` for it. Warden looks for it ' +
      'in the whole repository, and stays silent when it could not read the repository, or when a Helm chart\'s ' +
      'object is in its release\'s namespace (chosen at install, not by the chart) and no Argo CD Application or Flux ' +
      'HelmRelease of this repository says which namespaces it installs it in. A change that deletes or edits the ' +
      'quota that capped a namespace\'s accelerators, while nothing else does, is reported where it did so.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies: namespaces as administrative boundaries)',
    nist: 'NIST SP 800-190 4.4.1 (unbounded resource consumption)',
    links: ['https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-for-extended-resources'],
  },
  messages: {
    unbounded:
      '{{kind}} `{{name}}` uses `{{gpu}}` in namespace `{{namespace}}`, where no ResourceQuota or LimitRange in the ' +
      'repository caps it: one workload or a stolen token can take every accelerator of the cluster. Add:\n\n{{quota}}',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    // What a pod asks of an accelerator, and where.
    let use: { gpu: string; at: Path } | undefined;
    for (const { container, path } of target.pod.containers) {
      for (const kind of ['limits', 'requests']) {
        const listed = getIn(container, ['resources', kind]);
        const gpu = isRecord(listed) ? Object.keys(listed).find((name) => GPU_RESOURCES.test(name)) : undefined;
        if (gpu && !use) use = { gpu, at: [...path, 'resources', kind, gpu] };
      }
    }
    if (!use) return;
    if (!ctx.repository.complete) return;
    const seen = visible(ctx);
    const namespaces = seen.ofKind('Namespace');
    const kustomizations = seen.placers();
    const policies = seen.lasting('ResourceQuota', 'LimitRange');
    const { gpu, at } = use;
    const open = landingNamespaces(resource, namespaces, kustomizations)
      .filter((ns) => !SYSTEM_NAMESPACES.has(ns))
      .sort()
      .find((ns) => !cappedByNamespace(policies, namespaces, kustomizations).get(ns)?.has(gpu));
    if (open === undefined) return;
    ctx.report({
      message: 'unbounded',
      at,
      base: [],
      data: { kind: resource.kind, name: resource.name, gpu, namespace: open, quota: resource.format === 'yaml' ? quotaYaml(open, gpu) : quotaHcl(open, gpu) },
    });
  },
});
