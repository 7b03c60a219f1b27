import { defineRule } from '../../src/engine/define-rule.js';
import { isTrue } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'gcp/vertex-index-endpoint-public',
  severity: 'medium',
  title: 'Vertex AI index endpoint public',
  fixable: false,
  scope: 'resource',
  kinds: ['google_vertex_ai_index_endpoint'],
  docs: {
    why:
      'A Vertex AI Vector Search index endpoint with `public_endpoint_enabled = true` answers queries from the internet: the ' +
      'embeddings of private documents behind a retrieval-augmented model can be probed and the nearest neighbours read ' +
      'by anyone holding a token, and the endpoint is outside VPC Service Controls.',
    fix:
      'Deploy the index to an endpoint in your VPC (`network`) or behind Private Service Connect ' +
      '(`private_service_connect_config { enable_private_service_connect = true }`) and remove `public_endpoint_enabled`. The endpoint is recreated.',
  },
  references: {
    nist: 'NIST SP 800-53 SC-7 (Boundary Protection)',
    links: ['https://cloud.google.com/vertex-ai/docs/vector-search/setup/setup'],
  },
  messages: {
    public: 'Vertex AI index endpoint `{{name}}` is public (`public_endpoint_enabled = true`): put it in a VPC or behind Private Service Connect.',
  },
  check(target, ctx) {
    if (isTrue(target.node.public_endpoint_enabled)) ctx.report({ message: 'public', at: ['public_endpoint_enabled'], data: { name: target.resource.name } });
  },
});
