import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/formats/hcl.js';

const TF = `# models bucket
resource "aws_s3_bucket" "models" {
  bucket = "models-{#not-a-brace}" # a comment with { and }
  tags = {
    team = "ml"
  }
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = <<EOT
{ "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "}" } ] }
EOT
}

resource "aws_eks_cluster" "serving" {
  name = "serving"
  vpc_config {
    subnet_ids = ["a", "b"]
    endpoint_public_access = true
  }
}

resource "kubernetes_manifest" "isvc" {
  manifest = {
    apiVersion = "serving.kserve.io/v1beta1"
    kind       = "InferenceService"
    metadata = {
      name      = "llm"
      namespace = "models"
    }
    spec = {
      predictor = {
        model = {
          storageUri = "http://models.example.com/llm"
        }
      }
    }
  }
}
`;

describe('Terraform HCL', () => {
  it('gives every resource and nested block its line range, through heredocs, comments and braces in strings', async () => {
    const parsed = await parseHcl('main.tf', TF);
    expect(parsed.errors).toEqual([]);
    expect(parsed.resources.map((r) => [r.id, r.kind, r.range.startLine, r.range.endLine])).toEqual([
      ['aws_s3_bucket.models', 'aws_s3_bucket', 2, 7],
      ['aws_iam_policy.read', 'aws_iam_policy', 9, 14],
      ['aws_eks_cluster.serving', 'aws_eks_cluster', 16, 22],
      ['kubernetes_manifest.isvc', 'InferenceService', 24, 40],
    ]);
    const [bucket, policy, eks, manifest] = parsed.resources;
    expect(bucket!.source.locate(['tags', 'team'])).toEqual({ startLine: 5, endLine: 5, exact: true });
    expect(policy!.source.locate(['policy'])).toEqual({ startLine: 11, endLine: 13, exact: true });
    expect(eks!.source.locate(['vpc_config', 0, 'endpoint_public_access'])).toEqual({ startLine: 20, endLine: 20, exact: true });
    expect(eks!.source.locate(['vpc_config', 0, 'public_access_cidrs'])).toEqual({ startLine: 18, endLine: 21, exact: false });
    expect(manifest!.source.locate(['spec', 'predictor', 'model', 'storageUri'])).toEqual({ startLine: 35, endLine: 35, exact: true });
    expect(manifest!.namespace).toBe('models');
    expect(policy!.body.policy).toContain('"Resource": "}"');
  });

  it('names the line of a syntax error', async () => {
    const parsed = await parseHcl('bad.tf', 'resource "a" "b" {\n  x = 1\n  y =\n}\n');
    expect(parsed.errors).toEqual([{ line: 3, message: expect.stringContaining('Invalid expression') }]);
  });

  it('writes a missing attribute aligned with its neighbours, and a missing nested block', async () => {
    const parsed = await parseHcl('main.tf', TF);
    const eks = parsed.resources[2]!;
    const set = eks.source.apply(TF, [{ op: 'set', path: ['vpc_config', 0, 'endpoint_public_access'], value: false }]);
    expect(set).toContain('    endpoint_public_access = false\n');
    const added = eks.source.apply(TF, [{ op: 'set', path: ['encryption_config', 0, 'resources'], value: ['secrets'] }]);
    expect(added).toContain('  encryption_config {\n    resources = ["secrets"]\n  }\n}\n\nresource "kubernetes_manifest"');
    const bucket = parsed.resources[0]!;
    const aligned = bucket.source.apply(TF, [{ op: 'set', path: ['tags', 'owner'], value: 'platform' }]);
    // terraform fmt aligns the `=` of consecutive attributes.
    expect(aligned).toContain('    team  = "ml"\n    owner = "platform"\n  }');
    const removed = eks.source.apply(TF, [{ op: 'remove', path: ['vpc_config', 0, 'subnet_ids', 0] }]);
    expect(removed).toContain('subnet_ids = ["b"]');
  });

  it('applies several ops as one after another would, realigned neighbours included', async () => {
    const text = 'resource "aws_s3_bucket_public_access_block" "b" {\n  bucket = "x"\n\n  block_public_policy = true\n  ignore_public_acls  = false\n}\n';
    const block = (await parseHcl('main.tf', text)).resources[0]!;
    const ops = [
      { op: 'set' as const, path: ['restrict_public_buckets'], value: true },
      { op: 'set' as const, path: ['block_public_acls'], value: true },
      { op: 'set' as const, path: ['bucket'], value: 'y' },
    ];
    const oneByOne = ops.reduce((current, op) => block.source.apply(current, [op]), text);
    expect(block.source.apply(text, ops)).toBe(oneByOne);
    // Both new attributes join the run of `=` the first one realigned.
    expect(oneByOne).toContain('  ignore_public_acls      = false\n  restrict_public_buckets = true\n  block_public_acls       = true\n}');
  });

  it('creates one missing block for several settings at once, exactly as one after another would', async () => {
    const text = [
      'resource "kubernetes_deployment_v1" "triton" {',
      '  metadata {',
      '    name = "triton"',
      '  }',
      '  spec {',
      '    template {',
      '      spec {',
      '        container {',
      '          name  = "triton"',
      '          image = "nvcr.io/nvidia/tritonserver:24.01-py3"',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const deployment = (await parseHcl('main.tf', text)).resources[0]!;
    const container = ['spec', 'template', 'spec', 'containers', 0, 'securityContext'];
    const ops = [
      { op: 'append' as const, path: [...container, 'capabilities', 'drop'], value: 'ALL' },
      { op: 'set' as const, path: [...container, 'allowPrivilegeEscalation'], value: false },
      { op: 'set' as const, path: [...container, 'seccompProfile', 'type'], value: 'RuntimeDefault' },
      { op: 'set' as const, path: [...container, 'runAsNonRoot'], value: true },
      { op: 'set' as const, path: [...container, 'capabilities', 'add'], value: ['NET_BIND_SERVICE'] },
      { op: 'append' as const, path: [...container, 'capabilities', 'drop'], value: 'NET_RAW' },
      { op: 'append' as const, path: [...container, 'capabilities', 'drop'], value: 'ALL' },
    ];
    const orders = [ops, [...ops].reverse(), [ops[1]!, ops[3]!, ops[0]!, ops[4]!, ops[2]!, ops[6]!, ops[5]!]];
    for (const order of orders) {
      const oneByOne = order.reduce((current, op) => deployment.source.apply(current, [op]), text);
      expect(deployment.source.apply(text, order)).toBe(oneByOne);
    }
    expect(deployment.source.apply(text, ops)).toContain(
      [
        '          security_context {',
        '            allow_privilege_escalation = false',
        '            run_as_non_root            = true',
        '            capabilities {',
        '              drop = ["ALL", "NET_RAW"]',
        '              add  = ["NET_BIND_SERVICE"]',
        '            }',
        '            seccomp_profile {',
        '              type = "RuntimeDefault"',
        '            }',
        '          }',
        '        }',
      ].join('\n'),
    );
    // Settings in a one-line container are applied one after another (the container is opened up first).
    const oneLine = text.replace('        container {\n          name  = "triton"\n          image = "nvcr.io/nvidia/tritonserver:24.01-py3"\n        }', '        container { name = "triton" }');
    const compact = (await parseHcl('main.tf', oneLine)).resources[0]!;
    expect(compact.source.apply(oneLine, ops)).toBe(ops.reduce((current, op) => compact.source.apply(current, [op]), oneLine));
  });

  it('edits a kubernetes_manifest object in place', async () => {
    const parsed = await parseHcl('main.tf', TF);
    const manifest = parsed.resources[3]!;
    const out = manifest.source.apply(TF, [{ op: 'set', path: ['spec', 'predictor', 'model', 'storageUri'], value: 'https://models.example.com/llm' }]);
    expect(out).toContain('storageUri = "https://models.example.com/llm"');
    const reparsed = await parseHcl('main.tf', out);
    expect(reparsed.errors).toEqual([]);
  });
});
