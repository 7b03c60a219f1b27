// kustomize matches a patch target's kind, group, version, name and namespace as Go regular expressions, anchored
// (its SelectorRegex), and a replacement's `source`, `select` and `reject` literally (ResId.IsSelectedBy). Warden
// matches both the same way: a pattern whose Go meaning it cannot reproduce in JavaScript fails closed at the
// pattern, never compared literally or read as JavaScript reads it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import { getIn } from '../../src/common/path.js';
import { review } from '../../src/review.js';
import { PLAIN_DEPLOYMENT, compose } from './helpers.js';

const HOST_NETWORK = '  patch: |-\n    - op: add\n      path: /spec/template/spec/hostNetwork\n      value: true\n';
const targeting = (target: string) => `resources:\n- deployment.yaml\npatches:\n- target:\n${target}${HOST_NETWORK}`;

async function hostNetwork(kustomization: string, files: Record<string, string> = {}): Promise<unknown> {
  const composed = await compose({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': PLAIN_DEPLOYMENT, ...files });
  const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
  return getIn(deployment.body, ['spec', 'template', 'spec', 'hostNetwork']);
}

/** Review the kustomization as a new file (every line added). */
async function reviewAdded(files: Record<string, string>) {
  const text = files['app/kustomization.yaml']!;
  const lines = text.trimEnd().split('\n');
  const patch = `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
  return review({ files: [{ path: 'app/kustomization.yaml', headText: text, baseText: null, patch }], config: DEFAULT_CONFIG, reader: memoryReader({ ...files, 'app/deployment.yaml': PLAIN_DEPLOYMENT }) });
}

describe('a patch target', () => {
  it('is matched as a Go regular expression, anchored: `trit.*` and `Deploy.*` select the Deployment, `riton` does not', async () => {
    expect(await hostNetwork(targeting('    kind: Deploy.*\n    name: trit.*\n'))).toBe(true);
    expect(await hostNetwork(targeting('    kind: Deployment\n    name: riton\n'))).toBeUndefined();
  });

  it('whose Go meaning JavaScript reads otherwise (`(?i)`, `\\s`, `\\z`) is matched as Go reads it', async () => {
    // kustomize anchors the pattern as `^(?:…)$`: a (?i) inside holds for all of it. Go's \s is [\t\n\f\r ], \z the end.
    expect(await hostNetwork(targeting('    kind: Deployment\n    name: (?i)TRITON\n'))).toBe(true);
    expect(await hostNetwork(targeting('    kind: Deployment\n    name: (?i)TRITO\n'))).toBeUndefined();
    expect(await hostNetwork(targeting('    kind: Deployment\n    name: triton\\s*\\z\n'))).toBe(true);
    expect(await hostNetwork(targeting('    kind: Deployment\n    name: "triton\\\\s+"\n'))).toBeUndefined();
    const result = await reviewAdded({ 'app/kustomization.yaml': targeting('    kind: Deployment\n    name: (?i)TRITON\n') });
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed')).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'k8s/host-namespaces').map((f) => f.file)).toEqual(['app/kustomization.yaml']);
  });

  it('whose Go meaning Warden cannot match exactly (`(?U)`, `(?i)` on part of it, `[[:alpha:]]`) or that does not compile: not composed, not reviewed at the pattern', async () => {
    // JavaScript has no ungreedy flag, nor a case flag on part of a pattern; POSIX classes and `(` do not compile there.
    const cases: [string, number][] = [
      ['    kind: Deployment\n    name: (?U)trit.*\n', 6],
      ['    kind: Deployment\n    name: trit(?i)ON\n', 6],
      ['    kind: Deployment\n    namespace: "[[:alpha:]]*"\n', 6],
      ['    kind: (Deployment\n', 5],
    ];
    for (const [target, line] of cases) {
      const kustomization = targeting(target);
      expect(await hostNetwork(kustomization), target).toBeUndefined();
      const result = await reviewAdded({ 'app/kustomization.yaml': kustomization });
      const notReviewed = result.gating.filter((f) => f.ruleId === 'warden/not-reviewed');
      expect(notReviewed.map((f) => `${f.file}:${f.line}`), target).toEqual([`app/kustomization.yaml:${line}`]);
      expect(notReviewed[0]!.message, target).toContain('kustomize matches it as a Go regular expression');
    }
  });

  it('of a patch file, the same: not composed at the pattern (the file reaching nothing is not reviewed either)', async () => {
    const kustomization = 'resources:\n- deployment.yaml\npatches:\n- path: host.yaml\n  target:\n    name: (?U)trit.*\n';
    const files = { 'app/kustomization.yaml': kustomization, 'app/host.yaml': '- op: add\n  path: /spec/template/spec/hostNetwork\n  value: true\n' };
    expect(await hostNetwork(kustomization, files)).toBeUndefined();
    const result = await reviewAdded(files);
    expect(result.gating.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => `${f.file}:${f.line}`)).toEqual(['app/kustomization.yaml:6']);
  });
});

describe('a replacement', () => {
  const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  network: "true"\n';
  const replacing = (source: string, select: string) =>
    `resources:\n- deployment.yaml\n- config.yaml\nreplacements:\n- source:\n${source}    fieldPath: data.network\n  targets:\n  - select:\n${select}    fieldPaths:\n    - spec.template.spec.hostNetwork\n    options:\n      create: true\n`;

  it('selects literally, as kustomize does: a name that reads as a pattern selects nothing', async () => {
    const source = '    kind: ConfigMap\n    name: settings\n';
    expect(await hostNetwork(replacing(source, '      kind: Deployment\n      name: triton\n'), { 'app/config.yaml': CONFIG })).toBe('true');
    expect(await hostNetwork(replacing(source, '      kind: Deployment\n      name: trit.*\n'), { 'app/config.yaml': CONFIG })).toBeUndefined();
    expect(await hostNetwork(replacing(source, '      kind: Deploy.*\n'), { 'app/config.yaml': CONFIG })).toBeUndefined();
  });

  it('whose source names a pattern finds no source: not composed (kustomize stops there), at its entry', async () => {
    const composed = await compose({ 'app/kustomization.yaml': replacing('    kind: ConfigMap\n    name: sett.*\n', '      kind: Deployment\n'), 'app/deployment.yaml': PLAIN_DEPLOYMENT, 'app/config.yaml': CONFIG });
    expect(composed.uncomposed.map((p) => [p.lines?.startLine, p.message])).toEqual([[5, expect.stringContaining('its source kind `ConfigMap`, name `sett.*` selects 0 objects, not one')]]);
  });

  it('rejects by identity, and apart by labels, as kustomize does', async () => {
    const source = '    kind: ConfigMap\n    name: settings\n';
    const rejecting = (reject: string) => replacing(source, '      kind: Deployment\n').replace('    fieldPaths:', `    reject:\n${reject}    fieldPaths:`);
    expect(await hostNetwork(rejecting('    - name: triton\n'), { 'app/config.yaml': CONFIG })).toBeUndefined();
    expect(await hostNetwork(rejecting('    - name: other\n'), { 'app/config.yaml': CONFIG })).toBe('true');
    // A reject entry with an identity that does not match and a label selector that does: rejected (either rejects).
    const labelled = PLAIN_DEPLOYMENT.replace('  name: triton\n', '  name: triton\n  labels:\n    stage: canary\n');
    const composed = await compose({ 'app/kustomization.yaml': rejecting('    - name: other\n      labelSelector: stage=canary\n'), 'app/deployment.yaml': labelled, 'app/config.yaml': CONFIG });
    expect(getIn(composed.files[0]!.resources.find((r) => r.kind === 'Deployment')!.body, ['spec', 'template', 'spec', 'hostNetwork'])).toBeUndefined();
  });
});
