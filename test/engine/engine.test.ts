import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, resolveConfig } from '../../src/config.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { fieldIs } from '../../src/engine/shapes.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULE_IDS } from '../../rules/index.js';

// A synthetic restricted-level rule, so these tests do not depend on any real rule's details.
const hostNetwork = defineRule({
  id: 'test/host-network',
  severity: 'high',
  title: 'host network',
  level: 'restricted',
  fixable: true,
  scope: 'podSpec',
  docs: { why: 'w', fix: 'f' },
  references: {},
  messages: { on: 'Pod `{{name}}` uses the host network' },
  check: fieldIs({
    path: 'hostNetwork',
    isBad: (v) => v === true,
    message: 'on',
    fix: () => ({ description: 'off', ops: [{ op: 'set', path: 'hostNetwork', value: false }] }),
  }),
});

const POD = (extra = '') => `${extra}apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostNetwork: true
  containers:
  - name: a
    image: a:1
`;

async function scan(text: string, config = resolveConfig({}), file = 'p.yaml') {
  return (await scanFiles([{ path: file, text }], { config, rules: [hostNetwork] })).findings;
}

describe('the engine', () => {
  it('reports at the path, with the rule severity, message data and fix edits', async () => {
    const [finding, ...rest] = await scan(POD());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'test/host-network',
      severity: 'high',
      message: 'Pod `p` uses the host network',
      line: 6,
      endLine: 6,
      resource: 'Pod/p',
      suppressed: null,
      fix: { edits: [{ file: 'p.yaml', startLine: 6, endLine: 6, replacement: '  hostNetwork: false' }] },
    });
  });

  it('does not render the fixes of findings it is told are already known, and keeps their ops', async () => {
    const [rendered] = await scan(POD());
    const skipped = (await scanFiles([{ path: 'p.yaml', text: POD() }], { config: resolveConfig({}), rules: [hostNetwork], skipFixesFor: new Set([rendered!.fingerprint]) })).findings[0]!;
    expect(rendered!.fix!.edits).toHaveLength(1);
    expect(skipped.fix).toEqual({ ...rendered!.fix, edits: [] });
  });

  it('keeps a fingerprint that survives lines moving', async () => {
    const [a] = await scan(POD());
    const [b] = await scan(POD('# a comment\n# another\n'));
    expect(b!.line).toBe(a!.line + 2);
    expect(b!.fingerprint).toBe(a!.fingerprint);
  });

  it('applies severity overrides, off, and the PSS level', async () => {
    expect((await scan(POD(), resolveConfig({ rules: { 'test/host-network': 'low' } })))[0]!.severity).toBe('low');
    expect(await scan(POD(), resolveConfig({ rules: { 'test/host-network': 'off' } }))).toEqual([]);
    expect(await scan(POD(), resolveConfig({ pss_level: 'baseline' }))).toEqual([]);
  });

  it('evaluates only resources that hold a changed line', async () => {
    const text = `${POD()}---\n${POD().replace('name: p', 'name: q')}`;
    const findings = (await scanFiles([{ path: 'p.yaml', text, changed: new Set([14]) }], { config: resolveConfig({}), rules: [hostNetwork] })).findings;
    expect(findings.map((f) => f.resource)).toEqual(['Pod/q']);
  });

  it('suppresses with a comment above the line or above the resource, and reports a missing reason', async () => {
    const aboveLine = POD().replace('  hostNetwork: true', '  # warden:ignore test/host-network -- CNI agent needs the node network\n  hostNetwork: true');
    const [suppressed] = await scan(aboveLine);
    expect(suppressed!.suppressed).toEqual({ reason: 'CNI agent needs the node network', line: 6 });

    const aboveResource = await scan(POD('# warden:ignore test/other, test/host-network\n'));
    expect(aboveResource.find((f) => f.ruleId === 'test/host-network')!.suppressed).toEqual({ reason: '', line: 1 });
    expect(aboveResource.find((f) => f.ruleId === 'warden/suppression-without-reason')).toMatchObject({ line: 1, severity: 'low' });

    const otherRule = await scan(POD('# warden:ignore test/other -- not this one\n'));
    expect(otherRule.find((f) => f.ruleId === 'test/host-network')!.suppressed).toBeNull();
  });

  it('suppresses in HCL with # and //', async () => {
    const tf = (comment: string) => `${comment}
resource "kubernetes_pod_v1" "p" {
  metadata {
    name = "p"
  }
  spec {
    host_network = true
    container {
      name  = "a"
      image = "a:1"
    }
  }
}
`;
    expect((await scan(tf(''), resolveConfig({}), 'p.tf'))[0]).toMatchObject({ line: 7, suppressed: null, resource: 'kubernetes_pod_v1.p' });
    expect((await scan(tf('// warden:ignore test/host-network -- lab cluster'), resolveConfig({}), 'p.tf'))[0]!.suppressed).toEqual({ reason: 'lab cluster', line: 1 });
  });
});

describe('config', () => {
  it('fills defaults and merges what is given', () => {
    const config = resolveConfig({ gate: 'critical', review: { max_comments: 5 } });
    expect(config.gate).toBe('critical');
    expect(config.review).toEqual({ event: 'COMMENT', max_comments: 5 });
    expect(config.paths.include).toContain('**/*.tf');
  });

  it('names the offending key', () => {
    const attempt = (text: string) => {
      try {
        parseConfigText(text, RULE_IDS);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).key;
      }
    };
    expect(attempt('gate: severe\n')).toBe('gate');
    expect(attempt('review:\n  max_coments: 3\n')).toBe('review.max_coments');
    expect(attempt('review:\n  max_comments: many\n')).toBe('review.max_comments');
    expect(attempt('rules:\n  k8s/privileged: maybe\n')).toBe('rules.k8s/privileged');
    expect(attempt('rules:\n  k8s/no-such-rule: off\n')).toBe('rules.k8s/no-such-rule');
    expect(attempt('gate: [\n')).toBe('(file)');
    expect(attempt('gate: high\n')).toBeNull();
  });
});

describe('line edits', () => {
  it('widens a pure insertion or deletion by one line, so a suggestion replaces at least one line', async () => {
    const { lineEdit, applyEdits } = await import('../../src/engine/edits.js');
    const cases: [string, string][] = [
      ['a\nb\nc\n', 'a\nb\nx\nc\n'], // insertion
      ['a\nb\nc\n', 'a\nc\n'], // deletion
      ['a\nb\nc\n', 'b\nc\n'], // deletion at the top
      ['a\nb\n', 'x\na\nb\n'], // insertion at the top
      ['a\nb\nc\n', 'a\nB\nc\n'], // replacement
    ];
    for (const [before, after] of cases) {
      const edit = lineEdit('f', before, after)!;
      expect(edit.endLine).toBeGreaterThanOrEqual(edit.startLine);
      expect(applyEdits(before, [edit])).toBe(after);
    }
    expect(lineEdit('f', 'a\nb\nc\n', 'a\nc\n')).toEqual({ file: 'f', startLine: 1, endLine: 2, replacement: 'a' });
  });
});
