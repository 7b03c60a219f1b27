// Fixes of composed objects are proven by composing again (the finding gone, applied twice: no change), so a fix
// that edits a base the change did not touch is offered to the command line, with its edit.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { applyEdits } from '../../src/fixes.js';
import { review } from '../../src/review.js';
import { MAX_PROOF_BUILDS, MAX_PROOF_BYTES } from '../../src/composed-fixes.js';
import type { Edit } from '../../src/model.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { fieldRequired } from '../../src/engine/shapes.js';
import { RULES } from '../../rules/index.js';
import { HARDENED_DEPLOYMENT, PLAIN_DEPLOYMENT, envPatch } from './helpers.js';

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

  it('of copies of a layout deploying objects of the same ids are rendered on each copy\'s own object, and offered in both', async () => {
    // Two clusters' copies of one tree: their overlays deploy Deployment/models/triton alike, from bases of their own
    // hardened in nothing (so the base's fixes are one group, its edit rendered on the composed object).
    const tree = { 'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'serving/base/deployment.yaml': PLAIN_DEPLOYMENT, 'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\n' };
    const files = Object.fromEntries(['east', 'west'].flatMap((cluster) => Object.entries(tree).map(([path, text]) => [`${cluster}/${path}`, text])));
    const result = await reviewChange(files, Object.keys(files));
    const groups = result.fixes.filter((g) => g.findings.some((f) => f.ruleId === 'k8s/run-as-non-root'));
    expect(groups.every((g) => g.findings.length > 1)).toBe(true);
    expect(groups.map((g) => g.edit?.file).sort()).toEqual(['east/serving/base/deployment.yaml', 'west/serving/base/deployment.yaml']);
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

  it('several findings on one object in a base get one edit, rendered on the composed object and proven by composing', async () => {
    // The base's Deployment without its container's securityContext: findings whose fixes all write it, under an
    // overlay that gives it a namespace (so the object deployed is not the base file's own).
    const bare = HARDENED_DEPLOYMENT.replace(/^ {8}securityContext:\n( {10}.*\n)+/m, '');
    expect(bare).not.toBe(HARDENED_DEPLOYMENT);
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': bare };
    const result = await reviewChange(files, ['serving/base/deployment.yaml']);
    const fixable = result.findings.filter((f) => f.fix && f.fix.applicability !== 'display');
    expect(new Set(fixable.map((f) => f.resource))).toEqual(new Set(['Deployment/models/triton']));
    expect(fixable.length).toBeGreaterThan(2);
    const groups = result.fixes.filter((g) => g.findings.some((f) => fixable.includes(f)));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.edit?.file).toBe('serving/base/deployment.yaml');
    for (const finding of fixable) expect(finding.fix!.edits).toEqual([groups[0]!.edit]);
    const fixed = applyEdits(bare, [groups[0]!.edit!]);
    const again = await reviewChange({ ...files, 'serving/base/deployment.yaml': fixed }, ['serving/base/deployment.yaml']);
    const left = new Set(again.findings.map((f) => f.fingerprint));
    expect(fixable.filter((f) => left.has(f.fingerprint))).toEqual([]);
  });

  it('of one base are proven together, with one build: a base of 120 objects gets every fix, and they fix it', { timeout: 60_000 }, async () => {
    // 120 Deployments without runAsNonRoot in one base of ~200 KB: proving each fix alone would parse the base again
    // 120 times (past MAX_PROOF_BYTES, so most would only be shown).
    const base = Array.from({ length: 120 }, (_, i) => BASE.replace(/name: triton$/m, `name: triton-${i}`)).join('---\n');
    expect(base.length * 120).toBeGreaterThan(MAX_PROOF_BYTES);
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': base, 'serving/overlays/prod/patch.yaml': LAYOUT['serving/overlays/prod/patch.yaml']!.replace('name: triton', 'name: triton-0') };
    const result = await reviewChange(files, ['serving/base/deployment.yaml']);
    const findings = result.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root');
    expect(findings).toHaveLength(120);
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    const edits = result.fixes.filter((g) => g.findings.some((f) => findings.includes(f))).map((g) => g.edit);
    expect(edits).toHaveLength(120);
    expect(edits.every((e) => e?.file === 'serving/base/deployment.yaml')).toBe(true);
    const fixed = applyEdits(base, edits as Edit[]);
    const again = await reviewChange({ ...files, 'serving/base/deployment.yaml': fixed }, ['serving/base/deployment.yaml']);
    expect(again.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root')).toEqual([]);
  });

  it('stop being proven past the bound on builds, and are shown instead: a base every one of 201 overlays builds', { timeout: 60_000 }, async () => {
    const files: Record<string, string> = { 'serving/base/kustomization.yaml': LAYOUT['serving/base/kustomization.yaml']!, 'serving/base/deployment.yaml': BASE };
    for (let i = 0; i <= MAX_PROOF_BUILDS; i++) files[`serving/overlays/o${i}/kustomization.yaml`] = `namespace: ns-${i}\nresources:\n- ../../base\n`;
    const result = await reviewChange(files, ['serving/base/deployment.yaml']);
    const finding = result.findings.find((f) => f.ruleId === 'k8s/run-as-non-root');
    expect(finding).toMatchObject({ file: 'serving/base/deployment.yaml' });
    expect(finding!.fix).toMatchObject({ applicability: 'display', edits: [] });
    expect(result.fixes.find((g) => g.findings.includes(finding!))?.edit).toBeNull();
    expect(result.findings.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
  });

  it('of one base are proven each alone when proving them together fails: one that does not fix leaves the others offered', async () => {
    // A rule whose fix writes the wrong field: its finding stays, so the base's fixes fail together.
    const stubborn = defineRule({
      id: 'test/grace-period',
      severity: 'low',
      title: 'grace period',
      fixable: true,
      scope: 'podSpec',
      docs: { why: 'w', fix: 'f' },
      references: {},
      messages: { missing: 'Pod `{{name}}` sets no grace period' },
      check: fieldRequired({
        path: 'terminationGracePeriodSeconds',
        isGood: (v) => v === 30,
        message: 'missing',
        fix: () => ({ description: 'the wrong field', ops: [{ op: 'set', path: 'activeDeadlineSeconds', value: 30 }] }),
      }),
    });
    const base = [0, 1, 2].map((i) => BASE.replace(/name: triton$/m, `name: triton-${i}`)).join('---\n');
    const files = { ...LAYOUT, 'serving/base/deployment.yaml': base, 'serving/overlays/prod/patch.yaml': LAYOUT['serving/overlays/prod/patch.yaml']!.replace('name: triton', 'name: triton-0') };
    const result = await review({
      files: [{ path: 'serving/base/deployment.yaml', headText: base, patch: undefined }],
      config: DEFAULT_CONFIG,
      reader: memoryReader(files),
      rules: [...RULES, stubborn],
      planFixes: true,
    });
    const nonRoot = result.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root');
    const grace = result.findings.filter((f) => f.ruleId === 'test/grace-period');
    expect(nonRoot).toHaveLength(3);
    expect(grace).toHaveLength(3);
    for (const f of grace) expect(f.fix).toMatchObject({ applicability: 'display', edits: [] });
    const edits = result.fixes.filter((g) => g.findings.some((f) => nonRoot.includes(f))).map((g) => g.edit);
    expect(edits).toHaveLength(3);
    expect(edits.every((e) => e?.file === 'serving/base/deployment.yaml')).toBe(true);
    const again = await reviewChange({ ...files, 'serving/base/deployment.yaml': applyEdits(base, edits as Edit[]) }, ['serving/base/deployment.yaml']);
    expect(again.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root')).toEqual([]);
  });
});
