import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { ruleIsOff } from '../../src/engine/shapes.js';

/**
 * Volume sources Restricted allows. `image` is allowed since PSA v1.33 (patched into the v1.0 check, so at
 * every policy version), though the published page still lists eight.
 */
export const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

export default defineRule({
  id: 'k8s/restricted-volume-types',
  severity: 'medium',
  title: 'Volume type not allowed by Restricted',
  level: 'restricted',
  fixable: false,
  scope: 'podSpec',
  docs: {
    why:
      'Restricted allows only volume types whose access Kubernetes itself mediates: configMap, csi, downwardAPI, ' +
      'emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret. In-tree network and cloud volumes ' +
      '(nfs, iscsi, awsElasticBlockStore, gitRepo, …) mount storage with credentials and options written into the pod, ' +
      'bypass StorageClass policy, and `gitRepo` even runs git on the node. Model weights shared over NFS that way are ' +
      'readable and writable by anything that can write the manifest.',
    fix:
      'Mount the storage through a PersistentVolumeClaim (bound to a PersistentVolume or a CSI driver the platform ' +
      'team manages), or use an `image` volume / init container to ship model weights. `hostPath` is reported by ' +
      'k8s/host-path-volumes.',
  },
  references: {
    pss: 'Restricted: Volume Types',
    cis: 'CIS Kubernetes Benchmark 5.2.12 (HostPath volumes), 5.7.2',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations)',
  },
  messages: {
    volumeType:
      'Volume `{{volume}}` uses `{{type}}`, which Restricted does not allow. Use a persistentVolumeClaim (or csi, ' +
      'emptyDir, configMap, secret, projected, image) instead.',
  },
  check(target, ctx) {
    const volumes = target.node.volumes;
    if (!Array.isArray(volumes)) return;
    // hostPath is a high-severity finding of its own rule; say it once, unless that rule is off.
    const skipHostPath = !ruleIsOff(ctx.config, 'k8s/host-path-volumes');
    volumes.forEach((volume, i) => {
      if (!isRecord(volume)) return;
      for (const [type, value] of Object.entries(volume)) {
        if (type === 'name' || RESTRICTED_VOLUME_SOURCES.has(type) || value === null || value === undefined) continue;
        if (type === 'hostPath' && skipHostPath) continue;
        ctx.report({ message: 'volumeType', at: ['volumes', i, type], data: { volume: String(volume.name ?? i), type } });
      }
    });
  },
});
