import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { evaluate } from '../../src/engine/run.js';
import { INDEXED_KINDS } from '../../src/engine/repository-index.js';
import { parseFile } from '../../src/formats/index.js';
import { blankUnreadDocuments, type UnreadDocuments } from '../../src/formats/unread-documents.js';
import { parseYaml } from '../../src/formats/yaml.js';
import type { ParsedFile } from '../../src/model.js';
import { LOOKED_UP_KINDS, RULES, UNREAD_DOCUMENTS, UNREAD_KINDS } from '../../rules/index.js';
import { crdDocument } from '../fixtures/crd.js';

const DEPLOYMENT = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  template:
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.05-py3
`;
const SERVICE = `---
apiVersion: v1
kind: Service
metadata:
  name: triton
  namespace: models
spec:
  ports:
    - port: 80
`;
/** A bundle as operators ship them: CRDs first, the workload between and after. */
const BUNDLE = `# the operator's bundle\n${crdDocument('inferenceservices', 12).slice(4)}${DEPLOYMENT}${crdDocument('servingruntimes', 8)}${SERVICE}`;

const onlyCrds: UnreadDocuments = { unread: (kind) => kind === 'CustomResourceDefinition', mayMatter: () => false };

function findings(parsed: ParsedFile) {
  return evaluate([parsed], new Map([[parsed.file, null]]), { config: DEFAULT_CONFIG, rules: RULES }).findings.map((f) => ({
    ruleId: f.ruleId,
    line: f.line,
    endLine: f.endLine,
    fingerprint: f.fingerprint,
    edits: f.fix?.edits,
  }));
}

describe('documents no rule reads', () => {
  it('are blanked in place: same length, same lines, one document each', () => {
    const blanked = blankUnreadDocuments(BUNDLE, onlyCrds);
    expect(blanked).not.toBe(BUNDLE);
    expect(blanked.length).toBe(BUNDLE.length);
    expect(blanked.split('\n').length).toBe(BUNDLE.split('\n').length);
    expect(blanked).not.toContain('CustomResourceDefinition');
    expect(blanked).toContain(DEPLOYMENT);
    expect(blanked).toContain(SERVICE);
  });

  it('leave the other resources as a full parse finds them: ids, ranges, positions, findings and fixes', () => {
    const full = parseYaml('bundle.yaml', BUNDLE);
    const skipping = parseYaml('bundle.yaml', BUNDLE, UNREAD_DOCUMENTS);
    expect(full.resources.map((r) => r.kind)).toEqual(['CustomResourceDefinition', 'Deployment', 'CustomResourceDefinition', 'Service']);
    const kept = full.resources.filter((r) => r.kind !== 'CustomResourceDefinition');
    expect(skipping.resources.map((r) => [r.id, r.range])).toEqual(kept.map((r) => [r.id, r.range]));
    const path = ['spec', 'template', 'spec', 'containers', 0, 'image'];
    expect(skipping.resources[0]!.source.locate(path)).toEqual(kept[0]!.source.locate(path));
    expect(skipping.errors).toEqual(full.errors);
    // No rule reports anything on the CRDs: the findings, with their fixes rendered, are the same.
    const expected = findings(full);
    expect(expected.some((f) => f.edits && f.edits.length > 0)).toBe(true);
    expect(findings(skipping)).toEqual(expected);
  });

  it('are left unparsed by parseFile only when asked', async () => {
    expect((await parseFile('bundle.yaml', BUNDLE))!.resources).toHaveLength(4);
    expect((await parseFile('bundle.yaml', BUNDLE, { unread: UNREAD_DOCUMENTS }))!.resources).toHaveLength(2);
  });

  it('are parsed when their text may hold a credential, which k8s/credential-literal reports in any kind', () => {
    const token = `hf_${'a'.repeat(34)}`;
    const withToken = BUNDLE.replace('      openAPIV3Schema:\n', `      openAPIV3Schema:\n        default: ${token}\n`);
    const parsed = parseYaml('bundle.yaml', withToken, UNREAD_DOCUMENTS);
    expect(parsed.resources.map((r) => r.kind)).toContain('CustomResourceDefinition');
    expect(findings(parsed).some((f) => f.ruleId === 'k8s/credential-literal')).toBe(true);
  });

  const crd = crdDocument('models', 3);
  it.each([
    ['flow style', '---\n{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a"}}\n'],
    ['an indented root', crd.replace(/\n(?=[a-z])/g, '\n  ')],
    ['a quoted key', crd.replace('\nkind:', '\n"kind":')],
    ['`kind:` twice', crd.replace('\nmetadata:', '\nkind: Deployment\nmetadata:')],
    ['an anchor on the kind', crd.replace('kind: CustomResourceDefinition', 'kind: &k CustomResourceDefinition')],
    ['content on the `---` line', crd.replace('---\n', '--- !!map\n')],
    ['a directive', `%YAML 1.1\n${crd}`],
    ['CRLF line breaks', crd.replace(/\n/g, '\r\n')],
    ['an escape in a double-quoted string', crd.replace('  group: serving.example.io', '  group: "serving\\x2eexample.io"')],
    ['template actions', crd.replace('  group: serving.example.io', '  group: {{ .Values.group }}')],
    ['a continuation line at column 0', crd.replace('  group: serving.example.io', '  group: "serving.example.io\nkind: CustomResourceDefinition"')],
  ])('are parsed as usual when the kind is not plain from the text: %s', (_, text) => {
    expect(blankUnreadDocuments(text, onlyCrds)).toBe(text);
  });

  it('are parsed when on lines the caller keeps, whatever their kind', () => {
    const blanked = blankUnreadDocuments(BUNDLE, onlyCrds);
    const lines = BUNDLE.split('\n');
    const crdLine = lines.findIndex((l) => l === 'kind: CustomResourceDefinition') + 1;
    const keepingFirst = blankUnreadDocuments(BUNDLE, { ...onlyCrds, keeps: (first, last) => first <= crdLine && crdLine <= last });
    // The first CRD is kept as written; the second is still blanked.
    expect(keepingFirst).not.toBe(blanked);
    expect(keepingFirst.split('kind: CustomResourceDefinition')).toHaveLength(2);
    expect(keepingFirst.length).toBe(BUNDLE.length);
    expect(blankUnreadDocuments(BUNDLE, { ...onlyCrds, keeps: () => true })).toBe(BUNDLE);
  });

  it('are of kinds no rule applies to and none looks up, and the repository index keeps none of them', () => {
    for (const kind of UNREAD_KINDS) {
      expect(LOOKED_UP_KINDS.has(kind)).toBe(false);
      expect(INDEXED_KINDS.has(kind)).toBe(false);
      for (const rule of RULES) expect(rule.kinds ?? [], rule.id).not.toContain(kind);
    }
  });
});
