import { defineRule } from '../../src/engine/define-rule.js';
import { blocks, internetReach, isTrue, listOf, openCidrs } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/firewall-open-ingress',
  severity: 'high',
  title: 'VPC firewall rule open to the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['google_compute_firewall'],
  docs: {
    why:
      'An ingress firewall rule that allows traffic from `0.0.0.0/0` (or `::/0`) opens its ports on every instance it targets ' +
      '(all of the network when it names no target tags or service accounts) to the internet: GPU serving VMs, GKE nodes, ' +
      'notebooks, SSH and RDP.',
    fix:
      'Allow only the sources that need the ports: Google\'s load balancer and health-check ranges (35.191.0.0/16, ' +
      '130.211.0.0/22), the VPC, or known ranges; limit the rule with `target_tags` or `target_service_accounts`, and reach SSH through IAP (35.235.240.0/20).',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation 3.6, 3.7 (SSH and RDP access from the internet restricted)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_GCP_2, CKV_GCP_3',
  },
  messages: {
    open: 'Firewall rule `{{name}}` allows {{allowed}} from {{cidrs}}: {{reach}}{{targets}}. Allow only known sources.',
  },
  check(target, ctx) {
    const body = target.node;
    const direction = String(body.direction ?? 'INGRESS').toUpperCase();
    if (direction !== 'INGRESS' || isTrue(body.disabled)) return;
    const allow = blocks(body, 'allow');
    if (allow.length === 0) return;
    const cidrs = openCidrs(body.source_ranges);
    if (cidrs.length === 0) return;
    const allowed = allow
      .map((a) => {
        const ports = listOf(a.ports);
        return `${String(a.protocol ?? 'all')}${Array.isArray(ports) ? ` ${ports.join(', ')}` : ''}`;
      })
      .join('; ');
    const list = listOf(body.source_ranges);
    const index = Array.isArray(list) ? list.findIndex((c) => c === cidrs[0]) : -1;
    const targets = body.target_tags === undefined && body.target_service_accounts === undefined ? ', on every instance of the network' : '';
    ctx.report({
      message: 'open',
      at: Array.isArray(body.source_ranges) && index >= 0 ? ['source_ranges', index] : ['source_ranges'],
      data: { name: target.resource.name, allowed: `\`${allowed}\``, cidrs: cidrs.map((c) => `\`${c}\``).join(' and '), reach: internetReach(cidrs), targets },
    });
  },
});
