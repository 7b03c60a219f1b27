import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { blocks, listOf } from '../../src/engine/terraform.js';

/** Source prefixes that mean the whole internet in an NSG rule. */
const ANYWHERE = new Set(['*', '0.0.0.0', '0.0.0.0/0', 'internet', 'any', '::/0']);
const open = (value: unknown) => typeof value === 'string' && ANYWHERE.has(value.trim().toLowerCase());

export default defineRule({
  id: 'azure/nsg-open-ingress',
  severity: 'high',
  title: 'Network security group rule open to the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['azurerm_network_security_rule', 'azurerm_network_security_group'],
  docs: {
    why:
      'An inbound Allow rule whose source is `*`, `Internet`, `Any` or `0.0.0.0/0` exposes its ports to every scanner: for model ' +
      'serving that is the inference port of a VM or AKS node pool, SSH or RDP on a GPU machine, or a notebook. The attacker ' +
      'queries, extracts or overloads the model, or logs in to the machine that holds its weights.',
    fix:
      'Allow only the sources that need the port: the load balancer or Application Gateway subnet, the virtual network ' +
      '(`VirtualNetwork` service tag) or known ranges; reach administration ports through Azure Bastion.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 6.1, 6.2 (RDP and SSH access from the internet restricted)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_AZURE_9, CKV_AZURE_10',
  },
  messages: {
    open: 'NSG rule `{{rule}}` of `{{name}}` allows inbound traffic on {{ports}} from `{{source}}`: the whole internet. Allow only known sources.',
  },
  check(target, ctx) {
    const check = (rule: Record<string, unknown>, base: Path) => {
      if (String(rule.direction ?? '').toLowerCase() !== 'inbound' || String(rule.access ?? '').toLowerCase() !== 'allow') return;
      const ports = rule.destination_port_range ?? rule.destination_port_ranges ?? '*';
      const portsText = ports === '*' ? 'all ports' : `ports ${Array.isArray(ports) ? ports.join(', ') : String(ports)}`;
      const report = (source: string, at: Path) =>
        ctx.report({ message: 'open', at: [...base, ...at], data: { name: target.resource.name, rule: String(rule.name ?? target.resource.name), ports: portsText, source } });
      if (open(rule.source_address_prefix)) return report(String(rule.source_address_prefix), ['source_address_prefix']);
      const list = listOf(rule.source_address_prefixes);
      if (!Array.isArray(list)) return;
      const i = list.findIndex(open);
      if (i >= 0) report(String(list[i]), ['source_address_prefixes', i]);
    };
    if (target.resource.terraform?.type === 'azurerm_network_security_rule') check(target.node, []);
    else blocks(target.node, 'security_rule').forEach((rule, i) => check(rule, ['security_rule', i]));
  },
});
