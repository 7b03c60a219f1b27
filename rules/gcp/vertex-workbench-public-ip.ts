import { defineRule } from '../../src/engine/define-rule.js';
import { isTrue, setting } from '../../src/engine/terraform.js';

const workbench = setting({
  path: ['gce_setup', 0, 'disable_public_ip'],
  message: 'public',
  defaultValue: false,
  bad: (v) => !isTrue(v),
  fix: { description: 'Set gce_setup.disable_public_ip = true', value: true, applicability: 'unsafe' },
});

const legacyNotebook = setting({
  path: ['no_public_ip'],
  message: 'public',
  defaultValue: false,
  bad: (v) => !isTrue(v),
  fix: { description: 'Set no_public_ip = true', value: true, applicability: 'unsafe' },
});

export default defineRule({
  id: 'gcp/vertex-workbench-public-ip',
  severity: 'high',
  title: 'Vertex AI Workbench instance with a public IP',
  fixable: true,
  scope: 'resource',
  kinds: ['google_workbench_instance', 'google_notebooks_instance'],
  docs: {
    why:
      'A Vertex AI Workbench instance is a VM that holds its service account\'s credentials and, usually, the training data ' +
      'and model artifacts. Without `disable_public_ip` (`no_public_ip` on the older `google_notebooks_instance`) it gets an ' +
      'external IP address: it is reachable from the internet wherever a firewall rule allows, and anything that runs in it ' +
      'can send data out directly.',
    fix:
      'Set `gce_setup { disable_public_ip = true }` (`no_public_ip = true` on `google_notebooks_instance`), and reach the ' +
      'internet, if needed, through Cloud NAT; Private Google Access on the subnet keeps Google APIs reachable.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    checkov: 'CKV_GCP_89',
    links: ['https://cloud.google.com/vertex-ai/docs/workbench/instances/create'],
  },
  messages: {
    public: 'Vertex AI Workbench instance `{{name}}` gets a public IP address ({{state}}). Disable it and reach the internet through Cloud NAT.',
  },
  check: (target, ctx) => (target.resource.kind === 'google_notebooks_instance' ? legacyNotebook : workbench)(target, ctx),
});
