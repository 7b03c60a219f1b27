import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { blocks, policyDocumentProblem } from '../../src/engine/terraform.js';

/** The attributes of each resource type that hold a policy document. */
const POLICY_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_s3_bucket: ['policy'],
  aws_ecr_repository_policy: ['policy'],
  aws_elasticsearch_domain_policy: ['access_policies'],
  aws_opensearch_domain_policy: ['access_policies'],
  aws_elasticsearch_domain: ['access_policies'],
  aws_opensearch_domain: ['access_policies'],
  aws_kms_key: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
};

export default defineRule({
  id: 'aws/policy-document-invalid',
  severity: 'high',
  title: 'Policy document that cannot be read',
  fixable: false,
  scope: 'resource',
  kinds: Object.keys(POLICY_ATTRIBUTES),
  docs: {
    why:
      'A policy document that is not JSON, or has no `Statement`, cannot be reviewed: whatever it grants on the model bucket, ' +
      'registry or serving role goes unchecked. Warden fails closed rather than passing over it. AWS also refuses such a document ' +
      'when the change is applied, so the pull request would break the deployment.',
    fix:
      'Write the document with `jsonencode({ … })` or a `data "aws_iam_policy_document"`, which Terraform validates, instead of ' +
      'hand-written JSON in a heredoc; or correct the JSON (a trailing comma and a missing quote are the usual causes).',
  },
  references: {
    nist: 'NIST SP 800-53 CM-6 (configuration settings), SA-11',
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html'],
  },
  messages: {
    invalid: 'The policy document in `{{attribute}}` of `{{name}}` cannot be read: {{problem}}. Warden could not review what it grants, and AWS will refuse it.',
  },
  check(target, ctx) {
    const type = target.resource.terraform?.type ?? target.resource.kind;
    const places: { value: unknown; at: Path }[] = (POLICY_ATTRIBUTES[type] ?? []).map((a) => ({ value: target.node[a], at: [a] }));
    if (type === 'aws_iam_role') blocks(target.node, 'inline_policy').forEach((b, i) => places.push({ value: b.policy, at: ['inline_policy', i, 'policy'] }));
    for (const { value, at } of places) {
      const problem = policyDocumentProblem(value);
      if (problem) ctx.report({ message: 'invalid', at, data: { name: target.resource.name, attribute: at.filter((s) => typeof s === 'string').join('.'), problem } });
    }
  },
});
