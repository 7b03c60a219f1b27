import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';

export default defineRule({
  id: 'k8s/host-path-volumes',
  severity: 'high',
  title: 'hostPath volume',
  level: 'baseline',
  fixable: false,
  scope: 'podSpec',
  docs: {
    why:
      'A `hostPath` volume mounts a directory of the node into the pod. Model servers often use one to cache weights ' +
      'on the node, but the same mount lets a compromised container read other tenants\' cached models, the kubelet\'s ' +
      'credentials or the container runtime socket, and write files the node will execute.',
    fix:
      'Replace the `hostPath` volume: a `persistentVolumeClaim` (or a CSI volume) for a shared model cache, an ' +
      '`emptyDir` for scratch space, an `image` volume or an init container to fetch weights. There is no automatic ' +
      'fix: the replacement depends on what the data is.',
  },
  references: {
    pss: 'Baseline: HostPath Volumes',
    cis: 'CIS Kubernetes Benchmark 5.2.12 (Minimize the admission of HostPath volumes)',
    nist: 'NIST SP 800-190 4.5.5 (host OS file system tampering)',
    kics: 'aa8f7a35-9923-4cad-bd61-a19b7f6aac91, 86a947ea-f577-4efb-a8b0-5fc00257d521',
    kubeLinter: 'host-mounts',
  },
  messages: {
    hostPath:
      'Volume `{{volume}}` mounts `{{hostPath}}` from the node (`hostPath`). Use a persistentVolumeClaim, emptyDir or ' +
      'CSI volume instead.',
  },
  check(target, ctx) {
    const volumes = target.node.volumes;
    if (!Array.isArray(volumes)) return;
    volumes.forEach((volume, i) => {
      if (!isRecord(volume) || volume.hostPath === undefined || volume.hostPath === null) return;
      const path = getIn(volume, ['hostPath', 'path']);
      ctx.report({
        message: 'hostPath',
        at: ['volumes', i, 'hostPath'],
        data: { volume: String(volume.name ?? i), hostPath: typeof path === 'string' ? path : '(unknown path)' },
      });
    });
  },
});
