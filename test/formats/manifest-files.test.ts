// What a Terraform file deploys from files it does not hold: the paths its manifests read (src/formats/manifest-files.ts),
// and a change to such a file alone, which fails closed (src/unread-deployed.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { manifestFileReads } from '../../src/formats/manifest-files.js';
import { review } from '../../src/review.js';
import { githubPatch } from '../app/fake-github.js';

const MAIN = `resource "kubernetes_manifest" "pod" {
  manifest = yamldecode(file("\${path.module}/manifests/pod.txt"))
}

resource "kubernetes_manifest" "server" {
  manifest = yamldecode(templatefile("./templates/server.yaml.tpl", { image = var.image }))
}

resource "kubectl_manifest" "shared" {
  yaml_body = file("\${path.root}/../shared/quota.txt")
}

resource "kubectl_manifest" "chosen" {
  yaml_body = file("\${var.dir}/pod.txt")
}

resource "aws_instance" "gpu" {
  user_data = file("\${path.module}/init.sh")
}
`;

describe('files a Terraform manifest reads', () => {
  it('names each literal path read by a kubernetes_manifest or kubectl_manifest, from the file’s folder; a path built from a variable, or read by another resource, is not named', async () => {
    expect(await manifestFileReads('infra/main.tf', MAIN)).toEqual([
      { resource: 'kubernetes_manifest.pod', path: 'infra/manifests/pod.txt', line: 1 },
      { resource: 'kubernetes_manifest.server', path: 'infra/templates/server.yaml.tpl', line: 5 },
      { resource: 'kubectl_manifest.shared', path: 'shared/quota.txt', line: 9 },
    ]);
  });

  it('a change to such a file alone is reviewed in the resource that reads it, or not reviewed where the review cannot make it known; a change to a file only other resources read is nothing of Warden’s', async () => {
    const reader = memoryReader({ 'infra/main.tf': MAIN, 'infra/manifests/pod.txt': 'kind: Pod\n', 'infra/init.sh': 'echo\n', 'infra/templates/server.yaml.tpl': 'kind: Pod\n' });
    const changed = await review({ files: [], written: ['infra/manifests/pod.txt', 'infra/init.sh', 'infra/templates/server.yaml.tpl'], config: DEFAULT_CONFIG, reader });
    expect(changed.findings.map((f) => [f.ruleId, f.file])).toEqual([
      // `var.image` has no value: what the template makes is not known.
      ['warden/not-reviewed', 'infra/templates/server.yaml.tpl'],
      // What `pod.txt` holds, judged as the resource that reads it deploys it, at its line there.
      ['k8s/default-namespace', 'infra/manifests/pod.txt'],
    ]);
    expect(changed.findings[0]!.message).toContain('`infra/main.tf` deploys what this file holds (`kubernetes_manifest.server` reads it)');
    expect(changed.gating.map((f) => f.file)).toEqual(['infra/templates/server.yaml.tpl']);
    const other = await review({ files: [], written: ['infra/init.sh'], config: DEFAULT_CONFIG, reader });
    expect(other.findings).toEqual([]);
  });

  it('a file read through a path that climbs out of its module is found from another folder’s Terraform: read, or (in the App) at hand', async () => {
    const files = { 'infra/main.tf': MAIN, 'shared/quota.txt': 'kind: ResourceQuota\n' };
    const quota = (reader: Parameters<typeof review>[0]['reader']) => review({ files: [], written: ['shared/quota.txt'], config: DEFAULT_CONFIG, reader });
    const read = await quota(memoryReader(files));
    expect(read.findings.map((f) => [f.file, f.message.includes('`infra/main.tf` deploys what this file holds (`kubectl_manifest.shared` reads it)')])).toEqual([['shared/quota.txt', true]]);
    // The App's reader: Terraform files of other folders only as already read (the index's, earlier runs'), no request.
    const reads: string[] = [];
    const app = (held: boolean) => ({ ...memoryReader(files), read: async (path: string) => (reads.push(path), files[path as keyof typeof files] ?? null), readAtHand: async (path: string) => (held ? files[path as keyof typeof files] : undefined) });
    expect((await quota(app(true))).findings.map((f) => f.file)).toEqual(['shared/quota.txt']);
    expect((await quota(app(false))).findings).toEqual([]);
    expect(reads.filter((path) => path.endsWith('.tf'))).toEqual([]);
  });

  it('a values file a helm_release installs its chart with is not reviewed when it changes, unless a chart’s review renders it', async () => {
    const release = `resource "helm_release" "triton" {
  name   = "triton"
  chart  = "\${path.module}/charts/triton"
  values = [file("\${path.module}/values/prod.yaml"), file("\${path.module}/charts/triton/values-gpu.yaml")]
}
`;
    const repository = {
      'deploy/main.tf': release,
      'deploy/values/prod.yaml': 'securityContext:\n  privileged: true\n',
      'deploy/charts/triton/Chart.yaml': 'apiVersion: v2\nname: triton\nversion: 0.1.0\n',
      'deploy/charts/triton/values-gpu.yaml': 'gpu: 1\n',
    };
    expect(await manifestFileReads('deploy/main.tf', release)).toEqual([
      { resource: 'helm_release.triton', path: 'deploy/values/prod.yaml', line: 1 },
      { resource: 'helm_release.triton', path: 'deploy/charts/triton/values-gpu.yaml', line: 1 },
    ]);
    const written = ['deploy/values/prod.yaml', 'deploy/charts/triton/values-gpu.yaml'];
    const changed = await review({ files: [], written, config: DEFAULT_CONFIG, reader: memoryReader(repository) });
    expect(changed.findings.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'deploy/values/prod.yaml']]);
    expect(changed.findings[0]!.message).toContain('`deploy/main.tf` installs a Helm chart with the values in this file (`helm_release.triton` reads it)');
    // Named in helm.charts, it is rendered with its chart there: not this finding, but what it sets, where it is.
    const config = { ...DEFAULT_CONFIG, helm: { charts: { 'deploy/charts/triton': { values: ['../../values/prod.yaml'] } } } };
    const changedValues = [{ path: 'deploy/values/prod.yaml', headText: repository['deploy/values/prod.yaml'], baseText: 'a: 1\n', patch: githubPatch('a: 1\n', repository['deploy/values/prod.yaml']) }];
    const named = await review({ files: changedValues, written: ['deploy/values/prod.yaml'], config, reader: memoryReader(repository) });
    expect(named.findings.filter((f) => f.message.includes('installs a Helm chart'))).toEqual([]);
    // Written but not among the files reviewed (the config's paths leave it out): its chart is not rendered, so it is not.
    const unreviewed = await review({ files: [], written: ['deploy/values/prod.yaml'], config, reader: memoryReader(repository) });
    expect(unreviewed.findings.map((f) => [f.ruleId, f.file])).toEqual([['warden/not-reviewed', 'deploy/values/prod.yaml']]);

    // The release acknowledged as reviewed elsewhere (above its block, before this change): so are its values.
    const now = () => new Date('2027-01-10T00:00:00Z');
    const acknowledged = (until: string) => ({ ...repository, 'deploy/main.tf': `# warden:ignore warden/not-reviewed -- the chart is reviewed upstream${until}\n${release}` });
    const count = async (files: Record<string, string>, paths: string[]) => (await review({ files: [], written: paths, config: DEFAULT_CONFIG, reader: memoryReader(files), now })).findings.length;
    expect(await count(acknowledged(''), ['deploy/values/prod.yaml'])).toBe(0);
    expect(await count(acknowledged(' (until 2027-01-31)'), ['deploy/values/prod.yaml'])).toBe(0);
    // Not when the acknowledgement has lapsed, nor when the change writes the Terraform file too (it may add it).
    expect(await count(acknowledged(' (until 2027-01-09)'), ['deploy/values/prod.yaml'])).toBe(1);
    expect(await count(acknowledged(''), ['deploy/values/prod.yaml', 'deploy/main.tf'])).toBe(1);
  });
});

