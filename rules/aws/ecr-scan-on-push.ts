import { defineRule } from '../../src/engine/define-rule.js';
import { blocks, setting } from '../../src/engine/terraform.js';
import { visible } from '../../src/engine/visible.js';

const check = setting<'noScan'>({
  path: ['image_scanning_configuration', 0, 'scan_on_push'],
  message: 'noScan',
  defaultValue: false,
  bad: (v) => v !== true && v !== 'true',
  fix: { description: 'Set image_scanning_configuration.scan_on_push = true', value: true },
});

export default defineRule({
  id: 'aws/ecr-scan-on-push',
  severity: 'low',
  title: 'ECR repository without scan on push',
  fixable: true,
  scope: 'resource',
  kinds: ['aws_ecr_repository'],
  docs: {
    why:
      'Inference images carry large dependency trees (CUDA, PyTorch, tokenizers, web servers) that collect CVEs quickly. ' +
      'Scanning on push reports them before a vulnerable image reaches a serving cluster.',
    fix:
      'Add `image_scanning_configuration { scan_on_push = true }`, or configure registry-wide scanning with ' +
      '`aws_ecr_registry_scanning_configuration` (enhanced scanning with Amazon Inspector rescans continuously).',
  },
  references: {
    nist: 'NIST SP 800-190 4.1.1 (image vulnerabilities), SP 800-53 RA-5',
    checkov: 'CKV_AWS_163',
    kics: '9630336b-3fed-4096-8173-b9afdfe346a7',
  },
  messages: {
    noScan: 'ECR repository `{{name}}` does not scan images on push ({{state}}). Set `image_scanning_configuration { scan_on_push = true }`.',
  },
  check(target, ctx) {
    // Registry-level scanning covers every repository.
    const registry = visible(ctx).ofKind('aws_ecr_registry_scanning_configuration')[0];
    if (registry && (registry.body.scan_type === 'ENHANCED' || blocks(registry.body, 'rule').length > 0)) return;
    check(target, ctx);
  },
});
