import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { blocks, internetReach, openCidrs } from '../../src/engine/terraform.js';

function ports(rule: Record<string, unknown>): string {
  const from = rule.from_port;
  const to = rule.to_port;
  const protocol = rule.protocol ?? rule.ip_protocol;
  if (protocol === '-1' || protocol === -1 || protocol === 'all') return 'all ports';
  if (from === undefined) return 'its ports';
  return from === to || to === undefined ? `port ${String(from)}` : `ports ${String(from)}-${String(to)}`;
}

export default defineRule({
  id: 'aws/security-group-open-ingress',
  severity: 'high',
  title: 'Security group open to the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  docs: {
    why:
      'Ingress from `0.0.0.0/0` or `::/0` (or a public range as wide as a /8 of IPv4, a /16 of IPv6: `0.0.0.0/1` and ' +
      '`128.0.0.0/1` together are the whole internet) exposes the port to every scanner on the internet. For model serving that is the ' +
      'inference port (an unauthenticated endpoint that anyone can query, extract or overload at your GPU cost), a notebook, ' +
      'SSH on a GPU node, or a metrics port that leaks prompts.',
    fix:
      'Allow only the sources that need the port: the load balancer\'s security group (`referenced_security_group_id` / ' +
      '`source_security_group_id`), the VPC CIDR, or a corporate range. Put public model APIs behind an ALB or API Gateway ' +
      'with authentication; if this group is that public load balancer on 443, suppress the finding with the reason.',
  },
  references: {
    cis: 'CIS AWS Foundations 5.2, 5.3 (no ingress from 0.0.0.0/0 or ::/0 to administration ports)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_AWS_24, CKV_AWS_25, CKV_AWS_260',
    kics: '4728cd65-a20c-49da-8b31-9c08b423e4db, 65905cec-d691-4320-b320-2000436cb696 (SSH)',
  },
  messages: {
    open: '`{{name}}` allows ingress on {{ports}} from {{cidrs}}: {{reach}}. Allow only the load balancer, the VPC or known ranges.',
  },
  check(target, ctx) {
    const body = target.node;
    const report = (rule: Record<string, unknown>, at: Path, cidrs: string[]) =>
      ctx.report({ message: 'open', at, data: { name: target.resource.name, ports: ports(rule), cidrs: cidrs.map((c) => `\`${c}\``).join(' and '), reach: internetReach(cidrs) } });
    switch (target.resource.terraform?.type) {
      case 'aws_security_group':
      case 'aws_default_security_group':
        blocks(body, 'ingress').forEach((rule, i) => {
          const v4 = openCidrs(rule.cidr_blocks);
          const v6 = openCidrs(rule.ipv6_cidr_blocks);
          if (v4.length + v6.length > 0) report(rule, ['ingress', i, v4.length ? 'cidr_blocks' : 'ipv6_cidr_blocks'], [...v4, ...v6]);
        });
        break;
      case 'aws_security_group_rule': {
        if (body.type !== 'ingress') break;
        const v4 = openCidrs(body.cidr_blocks);
        const v6 = openCidrs(body.ipv6_cidr_blocks);
        if (v4.length + v6.length > 0) report(body, [v4.length ? 'cidr_blocks' : 'ipv6_cidr_blocks'], [...v4, ...v6]);
        break;
      }
      case 'aws_vpc_security_group_ingress_rule': {
        const open = [...openCidrs(body.cidr_ipv4), ...openCidrs(body.cidr_ipv6)];
        if (open.length > 0) report(body, [openCidrs(body.cidr_ipv4).length ? 'cidr_ipv4' : 'cidr_ipv6'], open);
        break;
      }
    }
  },
});
