import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { kustomizedNamespaces } from '../../src/engine/kustomize.js';
import { visible } from '../../src/engine/visible.js';
import { apiGroup, NAMESPACED_KINDS, PLACING_KINDS } from './support/k8s.js';

export default defineRule({
  id: 'k8s/default-namespace',
  severity: 'low',
  title: 'Object in the default namespace',
  fixable: false,
  scope: 'resource',
  lookups: [...PLACING_KINDS],
  docs: {
    why:
      'The `default` namespace is shared by everything nobody placed on purpose: it usually has no Pod Security ' +
      'label, no default-deny NetworkPolicy and broad RoleBindings, so a model server there inherits none of the ' +
      'isolation its own namespace would give. An object without a namespace lands wherever the deploying ' +
      'context points, which is `default` more often than intended (and always with Terraform\'s provider).',
    fix:
      'Set `metadata.namespace` to the model-serving namespace (one per team or per model family), or, in a kustomize ' +
      'layout, `namespace:` in every kustomization that builds the manifest: a manifest they all give a namespace is ' +
      'not flagged; nor is one an Argo CD Application of this repository deploys to its `destination.namespace`.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7.1, 5.7.4 (create administrative boundaries; the default namespace should not be used)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access)',
    checkov: 'CKV_K8S_21',
    kics: '611ab018-c4aa-4ba2-b0f6-a448337509a6, abcb818b-5af7-4d72-aba9-6dd84956b451',
  },
  messages: {
    missing: '{{kind}} `{{name}}` names no namespace, so it lands in whatever namespace the deploy uses, often `default`. Set `metadata.namespace`.',
    default: '{{kind}} `{{name}}` is in the `default` namespace. Move it to the model-serving namespace.',
    kustomized: '{{kind}} `{{name}}` is put in the `default` namespace by a kustomization that builds it. Set that kustomization\'s `namespace:` to the model-serving namespace.',
    argo: '{{kind}} `{{name}}` names no namespace, and an Argo CD Application deploys it to `default` (its `destination.namespace`). Set `metadata.namespace`, or the Application\'s destination, to the model-serving namespace.',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    // Knative's kinds (Service, Configuration, Route) are namespaced; unknown custom kinds are not judged.
    if (!NAMESPACED_KINDS.has(resource.kind) && apiGroup(resource) !== 'serving.knative.dev') return;
    const namespace = getIn(resource.body, ['metadata', 'namespace']);
    const data = { kind: resource.kind, name: resource.name };
    // Kustomize sets the namespace of what it builds, over the manifest's own.
    // A composed object (src/compose) already carries the namespace its build gives it.
    const kustomized = resource.format === 'yaml' && !resource.contributors ? kustomizedNamespaces(resource.file, visible(ctx).placers()) : null;
    if (kustomized && kustomized.namespaces.includes('default')) ctx.report({ message: 'kustomized', at: 'metadata.namespace', data });
    // Every way it is deployed sets its namespace over its own: nothing of its own is left to judge.
    if (kustomized && !kustomized.unset && kustomized.fallback.length === 0) return;
    const names = namespace !== undefined && namespace !== null && namespace !== '';
    // Argo CD puts what names none in its Application's destination (and nothing else deploys it as it is).
    if (!names && kustomized && !kustomized.unset) {
      if (kustomized.fallback.includes('default')) ctx.report({ message: 'argo', at: 'metadata.namespace', data });
      return;
    }
    if (!names) ctx.report({ message: 'missing', at: 'metadata.namespace', data });
    else if (namespace === 'default') ctx.report({ message: 'default', at: 'metadata.namespace', data });
  },
});
