import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';

/** ingress-nginx's snippet annotations: raw NGINX configuration (`configuration-snippet`, `server-snippet`, …). */
function isSnippet(key: string): boolean {
  const [prefix, name] = key.includes('/') ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)] : ['', key];
  return prefix.includes('ingress') && /snippets?$/.test(name);
}

export default defineRule({
  id: 'k8s/ingress-nginx-snippet',
  severity: 'high',
  title: 'Ingress with an ingress-nginx snippet annotation',
  fixable: true,
  scope: 'resource',
  kinds: ['Ingress'],
  docs: {
    why:
      'ingress-nginx copies snippet annotations (`nginx.ingress.kubernetes.io/configuration-snippet`, ' +
      '`server-snippet`, `auth-snippet`, …) into the controller\'s NGINX configuration as they are. Whoever can write ' +
      'an Ingress can then read every Secret the controller can (TLS keys and tokens of every namespace, ' +
      'CVE-2021-25742) or, with later bugs of the same family, run code in the controller (CVE-2025-1974). In front of ' +
      'a model endpoint it also bypasses the authentication and rate limits set on the Ingress.',
    fix:
      'Remove the snippet and use the controller\'s dedicated annotations (rate limits, headers, CORS, auth-url) ' +
      'instead; run the controller with `allow-snippet-annotations: "false"` (the default since ingress-nginx 1.9) ' +
      'and `annotations-risk-level` at its default. Warden\'s suggestion removes the annotation: check what it did first.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies)',
    nist: 'NIST SP 800-190 4.4.2 (network traffic protection)',
    checkov: 'CKV_K8S_153',
    links: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations'],
  },
  messages: {
    snippet:
      'Ingress `{{name}}` sets `{{annotation}}`: raw NGINX configuration that can read every Secret the controller ' +
      'can (CVE-2021-25742). Use the controller\'s dedicated annotations instead.',
  },
  check: (target, ctx) => {
    const annotations = getIn(target.node, ['metadata', 'annotations']);
    if (!isRecord(annotations)) return;
    for (const key of Object.keys(annotations).filter(isSnippet)) {
      ctx.report({
        message: 'snippet',
        at: ['metadata', 'annotations', key],
        data: { name: target.resource.name, annotation: key },
        fix: { description: `Remove ${key}`, applicability: 'unsafe', ops: [{ op: 'remove', path: ['metadata', 'annotations', key] }] },
      });
    }
  },
});
