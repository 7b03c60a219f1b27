import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, isTrue, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/gke-binary-authorization',
  severity: 'medium',
  title: 'GKE cluster without Binary Authorization',
  fixable: false,
  scope: 'resource',
  kinds: ['google_container_cluster'],
  docs: {
    why:
      'Binary Authorization admits only images signed by your build pipeline. Without it, anyone who can create a pod can ' +
      'run any image next to your model servers, and a tampered inference image is deployed as readily as a built one.',
    fix:
      'Add `binary_authorization { evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE" }` and a `google_binary_authorization_policy` ' +
      'that requires attestations from your CI attestor (start in dry-run mode to see what would be blocked).',
  },
  references: {
    cis: 'CIS GKE Benchmark 5.10.5 (Binary Authorization)',
    nist: 'NIST SP 800-190 4.2.x, SP 800-53 CM-14, SI-7',
    checkov: 'CKV_GCP_66',
  },
  messages: {
    none: 'GKE cluster `{{name}}` does not enforce Binary Authorization ({{state}}): any image can run in it.',
  },
  check(target, ctx) {
    const body = target.node;
    if (hasDynamic(body, 'binary_authorization') || isTrue(body.enable_binary_authorization)) return;
    const config = block(body, 'binary_authorization');
    const mode = config?.evaluation_mode;
    if (mode === 'PROJECT_SINGLETON_POLICY_ENFORCE' || mode === 'POLICY_BINDINGS' || mode === 'POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE' || isUnknown(mode)) return;
    if (mode === undefined && (isTrue(config?.enabled) || isUnknown(config?.enabled))) return; // deprecated `enabled`
    ctx.report({
      message: 'none',
      at: config ? ['binary_authorization', 0] : [],
      data: { name: target.resource.name, state: config ? `\`evaluation_mode = ${JSON.stringify(mode ?? 'DISABLED')}\`` : 'no `binary_authorization` block' },
    });
  },
});
