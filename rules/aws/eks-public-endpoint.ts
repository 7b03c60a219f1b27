import { defineRule } from '../../src/engine/define-rule.js';
import { attr, block, describeSetting, hasDynamic, isFalse, isUnknown, listOf, openCidrs } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/eks-public-endpoint',
  severity: 'high',
  title: 'EKS API server open to the internet',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_eks_cluster'],
  docs: {
    why:
      'The Kubernetes API of a serving cluster controls every model deployment, Secret and GPU node. EKS makes it public by ' +
      'default (`endpoint_public_access = true`, `public_access_cidrs = ["0.0.0.0/0"]`): one leaked kubeconfig or token, or ' +
      'an API server vulnerability, is exploitable from anywhere.',
    fix:
      'Turn the public endpoint off and the private one on (`endpoint_public_access = false`, `endpoint_private_access = true`) ' +
      'and reach the API through the VPC (VPN, bastion, CI runners in the VPC). If it must stay public, restrict ' +
      '`public_access_cidrs` to known ranges. Warden\'s fix does the former: check that your CI and operators can reach the ' +
      'private endpoint before applying.',
  },
  references: {
    cis: 'CIS Amazon EKS Benchmark 5.4.1 (restrict access to the control plane endpoint), 5.4.2',
    nist: 'NIST SP 800-53 SC-7, AC-17',
    checkov: 'CKV_AWS_38, CKV_AWS_39',
    kics: '42f4b905-3736-4213-bfe9-c0660518cda8 (public access), 61cf9883-1752-4768-b18c-0d57f2737709 (public access CIDRs)',
  },
  messages: {
    public: 'EKS cluster `{{name}}` exposes its API server to the internet ({{state}}, {{cidrs}}). Disable the public endpoint or restrict `public_access_cidrs`.',
  },
  check(target, ctx) {
    const vpc = block(target.node, 'vpc_config');
    if (!vpc || hasDynamic(target.node, 'vpc_config')) return;
    const publicAccess = vpc.endpoint_public_access;
    if (isFalse(publicAccess) || isUnknown(publicAccess)) return;
    const cidrs = listOf(vpc.public_access_cidrs);
    if (cidrs === 'unknown' || (Array.isArray(cidrs) && cidrs.some(isUnknown))) return;
    // An empty list restricts nothing: EKS then applies its default, 0.0.0.0/0.
    const open =
      cidrs === undefined ? ['0.0.0.0/0 (the default)'] : cidrs.length === 0 ? ['0.0.0.0/0 (the default for an empty list)'] : openCidrs(cidrs);
    if (open.length === 0) return;
    const path = ['vpc_config', 0, 'endpoint_public_access'];
    const cidrsPath = ['vpc_config', 0, 'public_access_cidrs'];
    ctx.report({
      message: 'public',
      // At the setting that opens it: an explicit open range, else the public access flag (or the block).
      at: cidrs !== undefined ? cidrsPath : attr(target.node, path) !== undefined ? path : ['vpc_config', 0],
      data: {
        name: target.resource.name,
        state: describeSetting(path, publicAccess, true),
        cidrs: `public access from ${open.map((c) => `\`${c}\``).join(', ')}`,
      },
      fix: {
        description: 'Disable the public endpoint and enable the private one',
        applicability: 'unsafe',
        ops: [
          { op: 'set', path: ['vpc_config', 0, 'endpoint_private_access'], value: true },
          { op: 'set', path, value: false },
        ],
      },
    });
  },
});
