// A kubectl_manifest whose YAML is written inline is reviewed as the object it applies, at its lines in the heredoc.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { parseFile } from '../../src/formats/index.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const manifest = (privileged: boolean) => `resource "kubectl_manifest" "triton" {
  yaml_body = <<-YAML
    apiVersion: v1
    kind: Pod
    metadata:
      name: triton
      namespace: models
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.05-py3
        securityContext:
          privileged: ${privileged}
  YAML
}
`;

describe('kubectl_manifest', () => {
  it('is the object its inline YAML writes, located inside the heredoc', async () => {
    const parsed = (await parseFile('serving.tf', manifest(true)))!;
    expect(parsed.resources.map((r) => [r.id, r.kind, r.name, r.namespace])).toEqual([['kubectl_manifest.triton', 'Pod', 'triton', 'models']]);
    expect(parsed.resources[0]!.source.locate(['spec', 'containers', 0, 'securityContext', 'privileged'])).toMatchObject({ startLine: 13, exact: true });
    expect(parsed.unseen).toBeUndefined();
  });

  it('a change that makes its container privileged: found at that line, the fix shown for a person to apply', async () => {
    const result = await review({ files: [{ path: 'serving.tf', headText: manifest(true), baseText: manifest(false), patch: githubPatch(manifest(false), manifest(true)) }], config: DEFAULT_CONFIG });
    const privileged = result.findings.find((f) => f.ruleId === 'k8s/privileged');
    expect(privileged).toMatchObject({ file: 'serving.tf', line: 13, resource: 'kubectl_manifest.triton', preExisting: false });
    expect(privileged!.fix).toMatchObject({ applicability: 'display', edits: [] });
    expect(result.gating.map((f) => f.ruleId)).toContain('k8s/privileged');
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('what it held before a change elsewhere in its YAML is pre-existing (the baseline reads it as its object too)', async () => {
    const before = manifest(true);
    const after = before.replace('tritonserver:24.05', 'tritonserver:24.06');
    const result = await review({ files: [{ path: 'serving.tf', headText: after, baseText: before, patch: githubPatch(before, after) }], config: DEFAULT_CONFIG });
    expect(result.findings.find((f) => f.ruleId === 'k8s/privileged')).toMatchObject({ line: 13, preExisting: true });
    expect(result.gating.map((f) => f.ruleId)).not.toContain('k8s/privileged');
  });

  it('YAML past the parsers\' limits is not parsed, and nothing crashes: the file, or what it applies, is not reviewed', async () => {
    const brackets = `resource "kubectl_manifest" "deep" {\n  yaml_body = <<-YAML\n    a: ${'['.repeat(5000)}${']'.repeat(5000)}\n  YAML\n}\n`;
    expect((await parseFile('deep.tf', brackets))!.notReviewed).toContain('nests deeper than 200 levels');
    const indented = `resource "kubectl_manifest" "deep" {\n  yaml_body = <<-YAML\n    a:\n${' '.repeat(420)}b: 1\n  YAML\n}\n`;
    const parsed = (await parseFile('deep.tf', indented))!;
    expect(parsed.resources.map((r) => r.kind)).toEqual(['kubectl_manifest']);
    expect(parsed.unseen?.map((p) => p.lines.startLine)).toEqual([1]);
  });
});
