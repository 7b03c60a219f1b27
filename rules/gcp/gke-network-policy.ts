import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, isFalse, isTrue, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-network-policy',
  severity: 'medium',
  title: 'GKE cluster without network policy enforcement',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Kubernetes NetworkPolicies do nothing unless the cluster enforces them. Without enforcement every pod can reach every ' +
      'model server, its metrics and admin ports, and the metadata server: the default-deny policies your manifests declare ' +
      'are silently ignored.',
    fix:
      'Use Dataplane V2 (`datapath_provider = "ADVANCED_DATAPATH"`, which enforces policies natively) or enable Calico with ' +
      '`network_policy { enabled = true }` and `addons_config { network_policy_config { disabled = false } }`.',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.6.7 (network policy enabled)',
    nist: 'NIST SP 800-190 4.4.2, SP 800-53 SC-7',
    checkov: 'CKV_GCP_12',
    kics: '11e7550e-c4b6-472e-adff-c698f157cdd7',
  },
  messages: {
    none: 'GKE cluster `{{name}}` enforces no network policy ({{state}}): NetworkPolicies in it have no effect.',
  },
  check(target, ctx) {
    const body = target.node;
    const datapath = body.datapath_provider;
    if (datapath === 'ADVANCED_DATAPATH' || isUnknown(datapath)) return;
    if (isTrue(body.enable_autopilot)) return; // Autopilot clusters run Dataplane V2
    if (hasDynamic(body, 'network_policy')) return;
    const policy = block(body, 'network_policy');
    if (isUnknown(policy?.enabled)) return;
    if (isTrue(policy?.enabled)) {
      // Calico also needs the master's add-on, which defaults to disabled: without it the nodes enforce nothing.
      if (hasDynamic(body, 'addons_config')) return;
      const addons = block(body, 'addons_config');
      if (addons && hasDynamic(addons, 'network_policy_config')) return;
      const addon = block(addons, 'network_policy_config');
      if (isFalse(addon?.disabled) || isUnknown(addon?.disabled)) return;
      ctx.report({
        message: 'none',
        at: ['addons_config', 0, 'network_policy_config', 0, 'disabled'],
        data: {
          name: target.resource.name,
          state:
            addon?.disabled === undefined
              ? '`network_policy` is enabled, but not its add-on: `addons_config.network_policy_config.disabled = false` is not set'
              : `\`network_policy\` is enabled, but not its add-on: \`addons_config.network_policy_config.disabled = ${String(addon.disabled)}\``,
        },
      });
      return;
    }
    ctx.report({
      message: 'none',
      at: policy ? ['network_policy', 0, 'enabled'] : [],
      data: { name: target.resource.name, state: policy ? `\`network_policy.enabled = ${String(policy.enabled ?? false)}\`` : 'neither `network_policy` nor Dataplane V2' },
    });
  },
});
