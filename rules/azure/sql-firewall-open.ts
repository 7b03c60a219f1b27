import { defineRule } from '../../src/engine/define-rule.js';

export default defineRule({
  id: 'azure/sql-firewall-open',
  severity: 'high',
  title: 'Database firewall open to every address',
  fixable: false,
  scope: 'resource',
  kinds: [
    'azurerm_sql_firewall_rule', 'azurerm_mssql_firewall_rule', 'azurerm_postgresql_firewall_rule', 'azurerm_mysql_firewall_rule',
    'azurerm_mariadb_firewall_rule', 'azurerm_postgresql_flexible_server_firewall_rule', 'azurerm_mysql_flexible_server_firewall_rule',
    'azurerm_synapse_firewall_rule', 'azurerm_cosmosdb_postgresql_firewall_rule', 'azurerm_redis_firewall_rule',
  ],
  docs: {
    why:
      'A firewall rule from `0.0.0.0` to `255.255.255.255` lets every address on the internet reach the database server: the ' +
      'feature store, the inference log or the metadata database behind model serving is then one leaked or guessed password away. ' +
      '(`0.0.0.0`–`0.0.0.0` is Azure\'s "allow Azure services" rule, which is not flagged here.)',
    fix:
      'Allow only the addresses that need the server (the serving subnet\'s NAT address, known office ranges), or better, turn ' +
      'public network access off and reach the server through a private endpoint.',
  },
  references: {
    cis: 'CIS Microsoft Azure Foundations 4.1.2 (no SQL database allows ingress from 0.0.0.0/0)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_AZURE_11',
  },
  messages: {
    open: 'Firewall rule `{{name}}` allows `{{start}}`–`{{end}}`: every address on the internet can reach the server. Allow only known ranges or use a private endpoint.',
  },
  check(target, ctx) {
    const { start_ip_address: start, end_ip_address: end } = target.node;
    const ip = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    // Open to all: the range covers the whole IPv4 space (from 0.0.0.0 to 255.255.255.255).
    if (ip(start) !== '0.0.0.0' || ip(end) !== '255.255.255.255') return;
    ctx.report({ message: 'open', at: ['end_ip_address'], data: { name: target.resource.name, start: ip(start), end: ip(end) } });
  },
});
