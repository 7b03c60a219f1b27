import { defineRule } from '../../src/engine/define-rule.js';
import { publicPolicyStatements } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/opensearch-policy-public',
  severity: 'critical',
  title: 'OpenSearch / Elasticsearch domain open to anyone',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_opensearch_domain_policy', 'aws_elasticsearch_domain_policy', 'aws_opensearch_domain', 'aws_elasticsearch_domain'],
  docs: {
    why:
      'A domain access policy that allows `Principal: "*"` (or `{ AWS = "*" }`) with no condition that narrows it lets anyone ' +
      'who reaches the endpoint call `es:*`: read and delete the indices that hold embeddings for retrieval, inference logs and ' +
      'prompts, or change the domain. A domain with a public endpoint is then open to the internet.',
    fix:
      'Name the principals (the serving and indexing roles) in the access policy, put the domain in a VPC (`vpc_options`), and ' +
      'turn on fine-grained access control; if `*` must stay, narrow it with a condition such as `aws:SourceIp` or `aws:SourceVpce`.',
  },
  references: {
    cis: 'CIS AWS Foundations (least privilege on resource policies)',
    nist: 'NIST SP 800-53 AC-3, AC-6',
    links: ['https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html'],
  },
  messages: {
    open: 'The access policy of domain `{{name}}` allows anyone (`Principal: "*"`) to {{actions}} with no condition that narrows it{{source}}: name the principals or add a condition.',
  },
  check: publicPolicyStatements('open', 'access_policies'),
});
