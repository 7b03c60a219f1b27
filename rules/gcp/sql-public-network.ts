import { defineRule } from '../../src/engine/define-rule.js';
import { attr, blocks, internetReach, openCidrs } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/sql-public-network',
  severity: 'high',
  title: 'Cloud SQL instance open to the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['google_sql_database_instance'],
  docs: {
    why:
      'An authorized network of `0.0.0.0/0` on a Cloud SQL instance with a public IP lets every address on the internet reach ' +
      'the database: the feature store or the inference log behind a model endpoint is then protected by its password alone.',
    fix:
      'Remove the `0.0.0.0/0` authorized network; connect through the Cloud SQL Auth Proxy or a private IP ' +
      '(`ip_configuration { ipv4_enabled = false, private_network = … }`).',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation 6.5 (Cloud SQL not open to the world)',
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_GCP_11',
  },
  messages: {
    open: 'Cloud SQL instance `{{name}}` authorizes `{{cidr}}`: {{reach}} can reach it. Use the Cloud SQL Auth Proxy or a private IP.',
  },
  check(target, ctx) {
    const networks = blocks(attr(target.node, ['settings', 0, 'ip_configuration', 0]), 'authorized_networks');
    networks.forEach((network, i) => {
      const open = openCidrs(network.value);
      if (open.length > 0) {
        ctx.report({ message: 'open', at: ['settings', 0, 'ip_configuration', 0, 'authorized_networks', i, 'value'], data: { name: target.resource.name, cidr: open[0]!, reach: internetReach(open) } });
      }
    });
  },
});
