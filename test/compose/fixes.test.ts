// Fixes of composed objects are proven by composing again (the finding gone, applied twice: no change), so a fix
// that edits a base the change did not touch is offered to the command line, with its edit.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { applyEdits } from '../../src/fixes.js';
import { review } from '../../src/review.js';
import { MAX_PROOF_BYTES } from '../../src/composed-review.js';
import { HARDENED_DEPLOYMENT, envPatch } from './helpers.js';

// The base's containers lose runAsNonRoot: a finding on the base, whose fix belongs in the base.
const BASE = HARDENED_DEPLOYMENT.replace('          runAsNonRoot: true\n', '').replace('        runAsNonRoot: true\n', '');
const LAYOUT: Record<string, string> = {
  'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'serving/base/deployment.yaml': BASE,
  'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\npatches:\n- path: patch.yaml\n',
  'serving/overlays/prod/patch.yaml': envPatch(),
};

async function reviewChange(files: Record<string, string>, changed: string[]) {
  return review({ files: changed.map((path) => ({ path, headText: files[path]!, patch: undefined })), config: DEFAULT_CONFIG, reader: memoryReader(files), planFixes: true });
}

describe('fixes of composed objects', () => {
  it('a fix in a base the change did not touch is proven by composing again, and the command line gets its edit', async () => {
    const result = await reviewChange(LAYOUT, ['serving/overlays/prod/patch.yaml']);
    const finding = result.findings.find((f) => f.ruleId === 'k8s/run-as-non-root');
    expect(finding).toMatchObject({ file: 'serving/base/deployment.yaml' });
    const group = result.fixes.find((g) => g.findings.includes(finding!));
    expect(group?.edit?.file).toBe('serving/base/deployment.yaml');
    expect(finding!.fix!.edits).toEqual([group!.edit]);
    // The edit does what was proven: applied to the base, the composed Deployment no longer has the finding.
    const fixed = { ...LAYOUT, 'serving/base/deployment.yaml': applyEdits(BASE, [group!.edit!]) };
    const again = await reviewChange(fixed, ['serving/overlays/prod/patch.yaml']);
    expect(again.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root')).toEqual([]);
  });

  it('a fix in a base written as JSON keeps it JSON, whether the file is named .json or .yaml', async () => {
    const json = JSON.stringify(parse(BASE), null, 2) + '\n';
    for (const name of ['deployment.json', 'deployment.yaml']) {
      const files: Record<string, string> = {
        'serving/base/kustomization.yaml': `resources:\n- ${name}\n`,
        [`serving/base/${name}`]: json,
        'serving/overlays/prod/kustomization.yaml': LAYOUT['serving/overlays/prod/kustomization.yaml']!,
        'serving/overlays/prod/patch.yaml': LAYOUT['serving/overlays/prod/patch.yaml']!,
      };
      const result = await reviewChange(files, ['serving/overlays/prod/patch.yaml']);
      const finding = result.findings.find((f) => f.ruleId === 'k8s/run-as-non-root');
      expect(finding, name).toMatchObject({ file: `serving/base/${name}` });
      const group = result.fixes.find((g) => g.findings.includes(finding!));
      expect(group?.edit?.file).toBe(`serving/base/${name}`);
      const fixed = applyEdits(json, [group!.edit!]);
      expect(() => JSON.parse(fixed), name).not.toThrow();
      expect(group!.edit!.replacement).toContain('"runAsNonRoot": true');
      const again = await reviewChange({ ...files, [`serving/base/${name}`]: fixed }, ['serving/overlays/prod/patch.yaml']);
      expect(again.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root'), name).toEqual([]);
    }
  });

  it('a base written as a List is its items: the overlay patches the Deployment in it, and the fix goes into the item', async () => {
    // The Deployment as the List's second item (a Service first), indented under `items:` as `kubectl get -o yaml` writes it.
    const item = BASE.replace(/^/gm, '    ').replace(/^    (?=\S)/, '  - ').trimEnd();
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: triton\n    spec:\n      ports:\n        - port: 8000\n${item}\n`;
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': list };
    const result = await reviewChange(files, ['serving/overlays/prod/patch.yaml']);
    const finding = result.findings.find((f) => f.ruleId === 'k8s/run-as-non-root');
    // The overlay's namespace reached the item: the composed object is the List's Deployment, not the List.
    expect(finding).toMatchObject({ file: 'serving/base/deployment.yaml', resource: 'Deployment/models/triton' });
    expect(finding!.line).toBeGreaterThan(list.split('\n').indexOf('    kind: Deployment') + 1);
    const group = result.fixes.find((g) => g.findings.includes(finding!));
    expect(group?.edit?.file).toBe('serving/base/deployment.yaml');
    const fixed = applyEdits(list, [group!.edit!]);
    const value = parse(fixed) as { items: { kind: string; spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } } }[] };
    expect(value.items.map((i) => i.kind)).toEqual(['Service', 'Deployment']);
    expect(value.items[1]!.spec.template.spec.containers[0]!.securityContext.runAsNonRoot).toBe(true);
    const again = await reviewChange({ ...files, 'serving/base/deployment.yaml': fixed }, ['serving/overlays/prod/patch.yaml']);
    expect(again.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root')).toEqual([]);
  });

  it('a fix in the changed patch is proven the same way, and offered there', async () => {
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': HARDENED_DEPLOYMENT, 'serving/overlays/prod/patch.yaml': envPatch('        securityContext:\n          privileged: true\n') };
    const result = await reviewChange(files, ['serving/overlays/prod/patch.yaml']);
    const finding = result.findings.find((f) => f.ruleId === 'k8s/privileged');
    expect(finding).toMatchObject({ file: 'serving/overlays/prod/patch.yaml', line: 14 });
    const group = result.fixes.find((g) => g.findings.includes(finding!));
    expect(group?.edit?.file).toBe('serving/overlays/prod/patch.yaml');
    const fixed = applyEdits(files['serving/overlays/prod/patch.yaml'], [group!.edit!]);
    const again = await reviewChange({ ...files, 'serving/overlays/prod/patch.yaml': fixed }, ['serving/overlays/prod/patch.yaml']);
    expect(again.findings.filter((f) => f.ruleId === 'k8s/privileged')).toEqual([]);
  });

  it('stop being proven past the bound on text parsed again, and are shown instead: a large base does not take the composition past its time limit', { timeout: 60_000 }, async () => {
    // 120 Deployments without runAsNonRoot in one base of ~200 KB: proving each fix parses the base again, so past
    // MAX_PROOF_BYTES (about 20 proofs of it) the others are shown, not offered; nothing is left unreviewed.
    const base = Array.from({ length: 120 }, (_, i) => BASE.replace(/name: triton$/m, `name: triton-${i}`)).join('---\n');
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': base, 'serving/overlays/prod/patch.yaml': LAYOUT['serving/overlays/prod/patch.yaml']!.replace('name: triton', 'name: triton-0') };
    const result = await reviewChange(files, ['serving/base/deployment.yaml']);
    const findings = result.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root');
    expect(findings).toHaveLength(120);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    const offered = findings.filter((f) => f.fix && f.fix.edits.length > 0).length;
    expect(offered).toBeGreaterThan(0);
    expect(offered).toBeLessThanOrEqual(Math.ceil(MAX_PROOF_BYTES / base.length));
    expect(findings.filter((f) => f.fix?.applicability === 'display')).toHaveLength(120 - offered);
  });
});
