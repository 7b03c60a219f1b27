import { defineRule } from '../../src/engine/define-rule.js';
import { fieldRequired, isUnknown } from '../../src/engine/shapes.js';

export default defineRule({
  id: 'k8s/ingress-tls',
  severity: 'medium',
  title: 'Ingress without TLS',
  fixable: false,
  scope: 'resource',
  kinds: ['Ingress'],
  docs: {
    why:
      'Without `tls`, the Ingress serves the model endpoint over plain HTTP: prompts, inputs (often personal data) ' +
      'and predictions cross the network readable and alterable, and bearer tokens sent to the endpoint can be sniffed.',
    fix:
      'Add `spec.tls` with the hosts and a certificate Secret (cert-manager issues and renews it with the ' +
      '`cert-manager.io/cluster-issuer` annotation), and redirect HTTP to HTTPS at the controller.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies)',
    nist: 'NIST SP 800-190 4.4.2 (network traffic protection)',
  },
  messages: {
    noTls: 'Ingress `{{name}}` has no `tls`: the model endpoint is served over plain HTTP. Add `spec.tls` with the hosts and a certificate Secret.',
  },
  check: fieldRequired<'resource', 'noTls'>({
    path: 'spec.tls',
    message: 'noTls',
    isGood: (value) => isUnknown(value) || (Array.isArray(value) && value.length > 0),
  }),
});
