import { defineRule } from '../../src/engine/define-rule.js';
import { fieldIs } from '../../src/engine/shapes.js';

export default defineRule({
  id: 'k8s/privileged',
  severity: 'critical',
  title: 'Privileged container',
  level: 'baseline',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'A privileged container has every capability and the host devices: a compromised model server can read the ' +
      'node, every other pod\'s model weights and the kubelet\'s credentials. GPU serving does not need it: the ' +
      'device plugin exposes the GPU to an unprivileged container.',
    fix: 'Set `securityContext.privileged: false` (or remove it) and request devices through the device plugin.',
  },
  references: {
    pss: 'Baseline: Privileged Containers',
    cis: 'CIS Kubernetes 5.2.2',
    nist: 'NIST SP 800-190 4.4.3',
    checkov: 'CKV_K8S_16',
    kics: 'dd29336b-fe57-445b-a26e-e6aa867ae609',
    kubeLinter: 'privileged-container',
  },
  messages: {
    privileged: 'Container `{{name}}` runs privileged: it can do anything the host can. Set `privileged: false`.',
  },
  check: fieldIs({
    path: 'securityContext.privileged',
    isBad: (value) => value === true,
    message: 'privileged',
    fix: () => ({ description: 'Set privileged to false', ops: [{ op: 'set', path: 'securityContext.privileged', value: false }] }),
  }),
});
