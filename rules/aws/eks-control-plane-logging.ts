import { defineRule } from '../../src/engine/define-rule.js';
import { isUnknown, listOf } from '../../src/engine/terraform.js';

const REQUIRED = ['api', 'audit'];

export default defineRule({
  id: 'aws/eks-control-plane-logging',
  severity: 'low',
  title: 'EKS control plane without API and audit logs',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_eks_cluster'],
  docs: {
    why:
      'The audit log is the record of who read a Secret, exec\'d into a model server or changed a serving deployment. EKS ' +
      'sends no control-plane logs to CloudWatch unless `enabled_cluster_log_types` asks for them.',
    fix: 'Set `enabled_cluster_log_types = ["api", "audit", "authenticator"]` (add `controllerManager` and `scheduler` if you need them) and a retention on the `/aws/eks/<name>/cluster` log group.',
  },
  references: {
    cis: 'CIS Amazon EKS Benchmark 2.1.1',
    nist: 'NIST SP 800-53 AU-2, AU-12',
    checkov: 'CKV_AWS_37',
    kics: '37304d3f-f852-40b8-ae3f-725e87a7cedf',
  },
  messages: {
    missing: 'EKS cluster `{{name}}` does not send {{missing}} logs to CloudWatch: set `enabled_cluster_log_types` to include `api` and `audit`.',
  },
  check(target, ctx) {
    const list = listOf(target.node.enabled_cluster_log_types);
    if (list === 'unknown' || (Array.isArray(list) && list.some(isUnknown))) return;
    const missing = REQUIRED.filter((t) => !(list ?? []).includes(t));
    if (missing.length === 0) return;
    ctx.report({ message: 'missing', at: ['enabled_cluster_log_types'], data: { name: target.resource.name, missing: missing.map((m) => `\`${m}\``).join(' and ') } });
  },
});
