import { defineRule } from '../../src/engine/define-rule.js';
import { block, hasDynamic, isTrue, isUnknown } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/vertex-endpoint-private',
  severity: 'medium',
  title: 'Vertex AI endpoint reachable from the internet',
  fixable: false,
  scope: 'resource',
  kinds: ['google_vertex_ai_endpoint'],
  docs: {
    why:
      'A Vertex AI endpoint without a private `network` (or Private Service Connect) is served on a public Google API address: ' +
      'only IAM stands between the internet and the model, so a leaked token lets anyone query it, extract the model by ' +
      'repeated queries, or run up prediction costs.',
    fix:
      'Set `network = "projects/<project number>/global/networks/<vpc>"` (VPC peering with private services access) or ' +
      '`private_service_connect_config { enable_private_service_connect = true, project_allowlist = [...] }`. Both replace the endpoint.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7',
    links: ['https://cloud.google.com/vertex-ai/docs/predictions/using-private-endpoints'],
  },
  messages: {
    public: 'Vertex AI endpoint `{{name}}` has neither a private `network` nor Private Service Connect: it is served on a public address.',
  },
  check(target, ctx) {
    const body = target.node;
    if (body.network !== undefined && body.network !== '' && body.network !== null) return;
    if (hasDynamic(body, 'private_service_connect_config')) return;
    const psc = block(body, 'private_service_connect_config')?.enable_private_service_connect;
    if (isTrue(psc) || isUnknown(psc)) return;
    ctx.report({ message: 'public', data: { name: target.resource.name } });
  },
});
