// Companions: new objects as fixes. Each is reviewed with every rule (no finding of its own), clears its
// finding, and sits next to the manifests that raised it.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { resolveConfig } from '../../src/config.js';
import { planCompanions } from '../../src/companions.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { scanFiles } from '../../src/engine/run.js';
import { fixTexts } from '../../src/fix-loop.js';
import { review } from '../../src/review.js';
import { RULES } from '../../rules/index.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { INGRESS, SERVING } from './manifests.js';

const config = resolveConfig({});

const SERVING_ROUTED = `${SERVING}---\n${INGRESS}`;

const TERRAFORM = `resource "kubernetes_namespace_v1" "models" {
  metadata {
    name = "models"
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

resource "kubernetes_service_v1" "triton" {
  metadata {
    name      = "triton"
    namespace = kubernetes_namespace_v1.models.metadata[0].name
  }
  spec {
    selector = {
      app = "triton"
    }
    port {
      port        = 80
      target_port = 8000
    }
  }
}
`;

async function findingsOf(files: Record<string, string>) {
  const repository = await buildRepositoryIndex(memoryReader(files), config);
  const scan = await scanFiles(Object.entries(files).map(([path, text]) => ({ path, text })), { config, rules: RULES, repository });
  return { repository, findings: scan.findings };
}

async function companionsOf(files: Record<string, string>) {
  const { repository, findings } = await findingsOf(files);
  const missing = findings.filter((f) => f.ruleId === 'k8s/network-policy-missing');
  expect(missing).toHaveLength(1);
  const companions = await planCompanions(findings, new Map(Object.entries(files)), (p) => p in files, { config, rules: RULES, repository });
  return { missing, companions };
}

describe('network policy companions', () => {
  it('YAML: a new file beside the namespace with default deny, DNS egress and ingress to the routed Service, reviewed clean', async () => {
    const files = { 'deploy/models/serving.yaml': SERVING_ROUTED };
    const { missing, companions } = await companionsOf(files);
    expect(companions.map((c) => [c.file, c.findings])).toEqual([['deploy/models/network-policies-models.yaml', missing]]);
    const text = companions[0]!.text;
    const docs = text.split(/^---$/m).map((d) => parseDocument(d).toJS());
    expect(docs.map((d) => d.metadata.name)).toEqual(['default-deny-all', 'allow-dns-egress', 'allow-triton-ingress']);
    expect(docs[2].spec).toEqual({ podSelector: { matchLabels: { app: 'triton' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8000, protocol: 'TCP' }] }] });
    expect(text).toContain('routed by Ingress triton');
    // With the companion in the repository: no finding at all, in it or about the namespace.
    const after = await findingsOf({ ...files, [companions[0]!.file]: text });
    expect(after.findings.filter((f) => f.file === companions[0]!.file)).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing')).toEqual([]);
  });

  it('Terraform: kubernetes_network_policy_v1 resources in a new file of the same module, reviewed clean', async () => {
    const files = { 'infra/k8s/namespace.tf': TERRAFORM };
    const { companions } = await companionsOf(files);
    expect(companions.map((c) => c.file)).toEqual(['infra/k8s/network-policies-models.tf']);
    const text = companions[0]!.text;
    expect(text).toContain('resource "kubernetes_network_policy_v1" "default_deny_all" {');
    // The namespace by reference, so Terraform creates it first; ingress to the Service's pods on its target port.
    expect(text).toContain('namespace = kubernetes_namespace_v1.models.metadata[0].name');
    expect(text).toContain('resource "kubernetes_network_policy_v1" "allow_triton_ingress" {');
    expect(text).toMatch(/match_labels = \{ "app" = "triton" \}[\s\S]*port\s+= "8000"/);
    const after = await findingsOf({ ...files, [companions[0]!.file]: companions[0]!.text });
    expect(after.findings.filter((f) => f.file === companions[0]!.file)).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'k8s/network-policy-missing')).toEqual([]);
  });

  it("reads the Services and routes of the namespace from the files that hold them, not only from the finding's", async () => {
    const [namespace, deployment, service] = SERVING.split('---\n');
    const files = { 'deploy/models/app.yaml': deployment!, 'deploy/models/namespace.yaml': namespace!, 'deploy/models/service.yaml': `${service}---\n${INGRESS}` };
    const { repository, findings } = await findingsOf(files);
    expect(findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.file)).toContain('deploy/models/app.yaml');
    const companions = await planCompanions(findings, new Map(Object.entries(files)), (p) => p in files, { config, rules: RULES, repository });
    expect(companions.map((c) => c.file)).toEqual(['deploy/models/network-policies-models.yaml']);
    expect(companions[0]!.text).toContain('name: allow-triton-ingress');
    expect(companions[0]!.text).toContain('routed by Ingress triton');
  });

  it('never overwrites a file: the next free name is taken', async () => {
    const files = { 'deploy/models/serving.yaml': SERVING_ROUTED, 'deploy/models/network-policies-models.yaml': '# someone else\n' };
    const { companions } = await companionsOf(files);
    expect(companions.map((c) => c.file)).toEqual(['deploy/models/network-policies-models-2.yaml']);
  });

  it('several namespaces: their companions are proven together, and one that fails its proof leaves the others', async () => {
    const files = { 'deploy/models/serving.yaml': SERVING_ROUTED, 'deploy/scoring/serving.yaml': SERVING.replaceAll('models', 'scoring') };
    const { repository, findings } = await findingsOf(files);
    expect(findings.filter((f) => f.ruleId === 'k8s/network-policy-missing').map((f) => f.file)).toEqual(['deploy/models/serving.yaml', 'deploy/scoring/serving.yaml']);
    const texts = new Map(Object.entries(files));
    const both = await planCompanions(findings, texts, (p) => p in files, { config, rules: RULES, repository });
    expect(both.map((c) => c.file)).toEqual(['deploy/models/network-policies-models.yaml', 'deploy/scoring/network-policies-scoring.yaml']);
    // A rule that finds fault with any NetworkPolicy in `scoring`: that companion has a finding of its own.
    const noPoliciesInScoring = defineRule({
      id: 'test/no-policies-in-scoring',
      severity: 'high',
      title: 'no policies in scoring',
      fixable: false,
      scope: 'resource',
      kinds: ['NetworkPolicy'],
      docs: { why: 'w', fix: 'f' },
      references: {},
      messages: { here: 'NetworkPolicy in scoring' },
      check: (target, ctx) => {
        if (target.resource.body.metadata && (target.resource.body.metadata as { namespace?: string }).namespace === 'scoring') ctx.report({ message: 'here' });
      },
    });
    const one = await planCompanions(findings, texts, (p) => p in files, { config, rules: [...RULES, noPoliciesInScoring], repository });
    expect(one.map((c) => c.file)).toEqual(['deploy/models/network-policies-models.yaml']);
  });

  it('offers nothing when no finding asks for a NetworkPolicy', async () => {
    const files = { 'a/serving.yaml': SERVING_ROUTED };
    const { repository, findings } = await findingsOf(files);
    const clean = findings.filter((f) => f.ruleId !== 'k8s/network-policy-missing');
    expect(await planCompanions(clean, new Map(Object.entries(files)), () => false, { config, rules: RULES, repository })).toEqual([]);
  });
});

describe('S3 bucket companions', () => {
  it('a lone bucket gets its public access block, versioning and SSE-KMS resources in its own file, each reviewed clean', async () => {
    const file = 'infra/storage.tf';
    const files = new Map([[file, 'resource "aws_s3_bucket" "models" {\n  bucket = "acme-models"\n}\n']]);
    const reviewOf = async (texts: ReadonlyMap<string, string>) => {
      const repository = await buildRepositoryIndex(memoryReader(Object.fromEntries(texts)), config);
      return { result: await review({ files: [...texts].map(([path, headText]) => ({ path, headText })), config, rules: RULES, repository, selected: true }), repository };
    };
    const before = (await reviewOf(files)).result.findings.map((f) => f.ruleId);
    expect(before).toEqual(expect.arrayContaining(['aws/s3-public-access-block', 'aws/s3-versioning', 'aws/s3-encryption-kms']));

    // The encryption companion is unsafe (readers in other accounts lose access): --unsafe applies it.
    const safe = await fixTexts(files, { config, rules: RULES, unsafe: false, review: reviewOf, exists: () => false });
    expect(safe.result.findings.map((f) => f.ruleId)).toContain('aws/s3-encryption-kms');
    const run = await fixTexts(files, { config, rules: RULES, unsafe: true, review: reviewOf, exists: () => false });
    expect(run.changes.map((c) => c.file)).toEqual([file]);
    const after = run.changes[0]!.after;
    for (const type of ['aws_s3_bucket_public_access_block', 'aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration']) {
      expect(after).toContain(`resource "${type}" "models" {`);
    }
    const findings = run.result.findings.map((f) => [f.ruleId, f.resource]);
    // Nothing on the new resources, and the bucket's three findings are gone.
    expect(findings.filter(([, resource]) => resource !== 'aws_s3_bucket.models')).toEqual([]);
    for (const id of ['aws/s3-public-access-block', 'aws/s3-versioning', 'aws/s3-encryption-kms']) expect(findings.map(([rule]) => rule)).not.toContain(id);
  });
});
