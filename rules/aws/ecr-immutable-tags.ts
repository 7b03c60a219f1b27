import { defineRule } from '../../src/engine/define-rule.js';
import { setting } from '../../src/engine/terraform.js';

export default defineRule({
  id: 'aws/ecr-immutable-tags',
  severity: 'medium',
  title: 'ECR repository with mutable tags',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_ecr_repository'],
  docs: {
    why:
      'A serving deployment names its inference image by tag. With mutable tags (the default) anyone who can push can ' +
      'replace `:v3` with a different image, and the next pod that starts, or the next endpoint update, runs it: a model ' +
      'server changes without any change in the deployment.',
    fix: 'Set `image_tag_mutability = "IMMUTABLE"` and publish each build under a new tag (or deploy by digest).',
  },
  references: {
    nist: 'NIST SP 800-190 4.2 (Image risks), SP 800-53 CM-14',
    checkov: 'CKV_AWS_51',
    kics: 'd1846b12-20c5-4d45-8798-fc35b79268eb',
  },
  messages: {
    mutable: 'ECR repository `{{name}}` allows tags to be overwritten ({{state}}): a pushed image can silently replace the one a model server runs. Set `image_tag_mutability = "IMMUTABLE"`.',
  },
  check: setting({
    path: ['image_tag_mutability'],
    message: 'mutable',
    defaultValue: 'MUTABLE',
    bad: (v) => typeof v !== 'string' || !v.startsWith('IMMUTABLE'),
    fix: { description: 'Set image_tag_mutability = "IMMUTABLE"', value: 'IMMUTABLE', applicability: 'unsafe' },
  }),
});
