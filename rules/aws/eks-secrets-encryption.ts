import { defineRule } from '../../src/engine/define-rule.js';
import { blocks, hasDynamic, isUnknown, listOf } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/eks-secrets-encryption',
  severity: 'medium',
  title: 'EKS cluster without envelope encryption of secrets',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_eks_cluster'],
  docs: {
    why:
      'Kubernetes Secrets of a serving cluster hold model-registry tokens, object-store keys and API keys. Without ' +
      '`encryption_config` for `secrets` they sit in etcd encrypted only by the EBS volume, with no key of yours in the path: ' +
      'you cannot audit or revoke who decrypts them.',
    fix:
      'Add `encryption_config { resources = ["secrets"] provider { key_arn = aws_kms_key.<name>.arn } }` with a customer-managed ' +
      'key. It can be enabled on an existing cluster but not removed.',
  },
  references: {
    cis: 'CIS Amazon EKS Benchmark 5.3.1',
    nist: 'NIST SP 800-190 4.4, SP 800-53 SC-28',
    checkov: 'CKV_AWS_58',
    kics: '63ebcb19-2739-4d3f-aa5c-e8bbb9b85281',
  },
  messages: {
    none: 'EKS cluster `{{name}}` has no `encryption_config` for `secrets`: Kubernetes Secrets are not envelope-encrypted with a KMS key you control.',
    notSecrets: 'EKS cluster `{{name}}` has an `encryption_config` that does not cover `secrets`.',
  },
  check(target, ctx) {
    if (hasDynamic(target.node, 'encryption_config')) return;
    const configs = blocks(target.node, 'encryption_config');
    if (configs.length === 0) return ctx.report({ message: 'none', data: { name: target.resource.name } });
    for (const config of configs) {
      const resources = listOf(config.resources);
      if (resources === 'unknown' || (Array.isArray(resources) && resources.some((r) => r === 'secrets' || isUnknown(r)))) return;
    }
    ctx.report({ message: 'notSecrets', at: ['encryption_config', 0, 'resources'], data: { name: target.resource.name } });
  },
});
