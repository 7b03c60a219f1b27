import { describe, expect, it } from 'vitest';
import { commonMetadataOf, deployedValue, goYamlScalar, optsOut, substitute, substitutionOf, withCommonMetadata } from '../../src/common/flux-variables.js';

const kustomization = (postBuild: unknown) => ({ spec: { postBuild } });

describe('Flux post-build variables', () => {
  it('reads a Kustomization\'s substitution: none without a value or a source of them', () => {
    expect(substitutionOf(kustomization(undefined))).toBeNull();
    expect(substitutionOf(kustomization({ substitute: {} }))).toBeNull();
    const read = substitutionOf(kustomization({ substitute: { A: 'x', B: true, C: '${PARENT}', D: '$${LITERAL}' }, substituteFrom: [{ kind: 'ConfigMap', name: 'vars', optional: true }] }))!;
    expect([...read.values]).toEqual([['A', 'x'], ['D', '$${LITERAL}']]);
    // Not text, or text another Kustomization deploying this one may put a value into first.
    expect([...read.unreadable]).toEqual(['B', 'C']);
    expect(read.from).toEqual([{ kind: 'ConfigMap', name: 'vars' }]);
  });

  it('puts values in as Flux does: `$$` a `$`, defaults for an empty value, nothing for a name without one', () => {
    const values = substitutionOf(kustomization({ substitute: { REGISTRY: 'registry.example.com', EMPTY: '' } }))!;
    expect(substitute('${REGISTRY}/triton:${TAG}', values)).toEqual({ text: 'registry.example.com/triton:' });
    expect(substitute('$${REGISTRY} $$HOME $HOME', values)).toEqual({ text: '${REGISTRY} $HOME $HOME' });
    expect(substitute('${EMPTY:=a}${EMPTY:-b}${EMPTY=c}${TAG:=latest}${REGISTRY:=other}', values)).toEqual({ text: 'abclatestregistry.example.com' });
    // A name its `substituteFrom` may give, one written as other than text, forms not followed: not put in.
    const fromCluster = substitutionOf(kustomization({ substitute: { A: 'x', B: 1 }, substituteFrom: [{ kind: 'Secret', name: 's' }] }))!;
    expect(substitute('${A}-${TAG}', fromCluster)).toEqual({ unresolved: { reference: '${TAG}', why: 'from-cluster' } });
    expect(substitute('${B}', fromCluster)).toEqual({ unresolved: { reference: '${B}', why: 'unreadable' } });
    for (const form of ['${A^^}', '${A/x/y}', '${A:0:1}', '${#A}', '${}']) {
      expect(substitute(form, values), form).toEqual({ unresolved: { reference: expect.any(String), why: 'syntax' } });
    }
    // A reference whose end Warden cannot be sure of: Flux reads up to the first `}` of the object's text, past the value.
    for (const form of ['${A:=${B}}', '${A', 'x ${A:=', '${A:=a\nb}', '${A:={b}']) {
      expect(substitute(form, values), form).toEqual({ unresolved: { reference: expect.any(String), why: 'extent' } });
    }
  });

  it('reads a value put into an unquoted scalar again as YAML does; quoted or on several lines it stays text', () => {
    expect(deployedValue('${A}', 'true')).toEqual({ value: true });
    expect(deployedValue('${A}', 'on')).toEqual({ value: true });
    expect(deployedValue('${A}', '8080')).toEqual({ value: 8080 });
    expect(deployedValue('${A}', '')).toEqual({ value: null });
    expect(deployedValue('${A}-x', 'true-x')).toEqual({ value: 'true-x' });
    expect(deployedValue('a: ${A}', 'a: true')).toEqual({ value: 'a: true' });
    expect(deployedValue('line\n${A}\n', 'line\ntrue\n')).toEqual({ value: 'line\ntrue\n' });
    // What would read as more than one value, or end a quoted one.
    for (const [written, put] of [
      ['${A}', 'true\n  hostPID: true'],
      ['${A}', 'x: y'],
      ['${A}', '[a, b]'],
      ['${A}', 'a #b'],
      ['a: ${A}', 'a: "b'],
      ['line\n${A}', 'line\nx\ny'],
    ]) {
      expect(deployedValue(written!, put!), put).toBeNull();
    }
  });

  it('types a value put in as go-yaml v2 reads a plain scalar, as Flux reads its build again', () => {
    // Integers as Go's strconv.ParseInt reads them with base 0, once their `_` are gone: YAML 1.1 reads these as text.
    for (const zero of ['0o0', '0O0', '0X0', '0B0', '+0o0', '-0', '0_0', '00']) expect(goYamlScalar(zero), zero).toEqual({ value: 0 });
    expect(goYamlScalar('010')).toEqual({ value: 8 });
    expect(goYamlScalar('-0x10')).toEqual({ value: -16 });
    expect(goYamlScalar('1_000')).toEqual({ value: 1000 });
    expect(goYamlScalar('1e3')).toEqual({ value: 1000 });
    expect(goYamlScalar('08')).toEqual({ value: 8 }); // not octal: a float of YAML's form
    expect(goYamlScalar('.5')).toEqual({ value: 0.5 });
    for (const word of ['y', 'Yes', 'ON', 'true']) expect(goYamlScalar(word), word).toEqual({ value: true });
    for (const word of ['n', 'Off', 'false']) expect(goYamlScalar(word), word).toEqual({ value: false });
    expect(goYamlScalar('~')).toEqual({ value: null });
    // Text go-yaml keeps as text (YAML 1.1 would read `1:00` as 60), and what Warden does not type.
    for (const text of ['1:00', '0x', '0b2', '+-1', '1e400', 'tru']) expect(goYamlScalar(text), text).toEqual({ value: text });
    for (const unknown of ['2024-01-01', '.inf', '-.Inf', '.nan', '99999999999999999999', '0x7fffffffffffffff']) expect(goYamlScalar(unknown), unknown).toBeNull();
  });

  it('reads a value written after a `-` again as a plain scalar: go-yaml writes `-${A}` unquoted', () => {
    expect(deployedValue('-${A}', '-0')).toEqual({ value: 0 });
    expect(deployedValue('${A}', '+0o0')).toEqual({ value: 0 });
    expect(deployedValue('?${A}', '?x')).toEqual({ value: '?x' });
    // An indicator before a space is one: more than one value.
    expect(deployedValue('${A}', '- 0')).toBeNull();
    expect(deployedValue('- ${A}', '- 0')).toEqual({ value: '- 0' });
  });

  it('an object opts out with the label or the annotation set to `disabled`', () => {
    expect(optsOut({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } })).toBe(true);
    expect(optsOut({ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } })).toBe(true);
    expect(optsOut({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } } })).toBe(false);
  });

  it('common metadata is set on an object\'s own labels and annotations, over its own; its pod template keeps its own', () => {
    expect(commonMetadataOf({ spec: { commonMetadata: {} } })).toBeNull();
    const common = commonMetadataOf({ spec: { commonMetadata: { labels: { team: 'ml' }, annotations: { owner: 'platform' } } } })!;
    const body = { metadata: { name: 'triton', labels: { team: 'other', app: 'triton' } }, spec: { template: { metadata: { labels: { app: 'triton' } } } } };
    expect(withCommonMetadata(body, common)).toEqual({
      metadata: { name: 'triton', labels: { team: 'ml', app: 'triton' }, annotations: { owner: 'platform' } },
      spec: { template: { metadata: { labels: { app: 'triton' } } } },
    });
    // Only what it sets: no empty map is added.
    expect(withCommonMetadata({ metadata: { name: 'x' } }, { labels: { a: 'b' }, annotations: {} })).toEqual({ metadata: { name: 'x', labels: { a: 'b' } } });
  });
});
