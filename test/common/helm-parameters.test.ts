// Argo CD's Helm parameters as the values they set: Helm's `--set` typing, and what Warden does not read.
import { describe, expect, it } from 'vitest';
import { argoHelmParameters, parameterKeys, typedValue } from '../../src/common/helm-parameters.js';

describe('typedValue', () => {
  it('types a value as `--set` does: booleans and null in any case, integers without a leading zero, else text', () => {
    expect([typedValue('true'), typedValue('TRUE'), typedValue('False'), typedValue('null'), typedValue('Null')]).toEqual([true, true, false, null, null]);
    expect([typedValue('0'), typedValue('42'), typedValue('-7'), typedValue('+7'), typedValue('-0')]).toEqual([0, 42, -7, 7, 0]);
    // A leading zero, a fraction, an exponent, a word: text.
    expect([typedValue('0123'), typedValue('1.5'), typedValue('1e3'), typedValue('yes'), typedValue('')]).toEqual(['0123', '1.5', '1e3', 'yes', '']);
    // Past 64 bits Helm keeps the text; within them but past what a number holds exactly, not read.
    expect(typedValue('9223372036854775808')).toBe('9223372036854775808');
    expect(typedValue('9223372036854775807')).toBeUndefined();
    expect(typedValue('9007199254740991')).toBe(9007199254740991);
  });
});

describe('argoHelmParameters', () => {
  it('the tree of values the names set, typed unless forced to strings', () => {
    expect(
      argoHelmParameters([
        { name: 'image.tag', value: '1.2.3' },
        { name: 'image.pullPolicy', value: 'Always' },
        { name: 'replicas', value: '3' },
        { name: 'securityContext.privileged', value: 'true', forceString: true },
        { name: 'empty' },
      ]),
    ).toEqual({ image: { tag: '1.2.3', pullPolicy: 'Always' }, replicas: 3, securityContext: { privileged: 'true' }, empty: '' });
    expect(argoHelmParameters([])).toEqual({});
    // An escaped dot is a dot of the key (annotations and labels are named so).
    expect(argoHelmParameters([{ name: 'podAnnotations.prometheus\\.io/scrape', value: 'true', forceString: true }])).toEqual({ podAnnotations: { 'prometheus.io/scrape': 'true' } });
    expect(parameterKeys('a\\.b.c\\\\d')).toEqual(['a.b', 'c\\d']);
    // Argo CD's build variables put in, given the build environment; one it does not hold, not followed.
    const environment = { ARGOCD_APP_NAME: 'serving', ARGOCD_APP_NAMESPACE: 'models' };
    expect(argoHelmParameters([{ name: 'fullnameOverride', value: '$ARGOCD_APP_NAME-${ARGOCD_APP_NAMESPACE}' }, { name: 'replicas', value: '$$3' }], environment)).toEqual({ fullnameOverride: 'serving-models', replicas: '$3' });
    expect(argoHelmParameters([{ name: 'tag', value: '$ARGOCD_APP_REVISION' }], environment)).toBeNull();
  });

  it('not followed: list indexes, a trailing escape, commas, `{…}` lists, a name set twice or inside another, what is not a parameter', () => {
    const refused = [
      [{ name: 'containers[0].image', value: 'x' }],
      [{ name: 'trailing\\', value: 'x' }],
      [{ name: 'a..b', value: 'x' }],
      [{ name: 'a=b', value: 'x' }],
      [{ name: 'args', value: '{a,b}' }],
      [{ name: 'args', value: '{a' }],
      [{ name: 'args', value: 'a,b' }],
      [{ name: 'path', value: 'C:\\models' }],
      [{ name: 'name', value: '$ARGOCD_APP_NAME' }],
      [
        { name: 'privileged', value: 'true' },
        { name: 'privileged', value: 'false' },
      ],
      [
        { name: 'image', value: 'x' },
        { name: 'image.tag', value: 'y' },
      ],
      [{ name: 'replicas', value: 3 }],
      [{ name: 'a', value: 'x', forceString: 'yes' }],
      [{ value: 'x' }],
      [{ name: Array.from({ length: 31 }, () => 'k').join('.'), value: 'x' }],
      [{ name: 'big', value: '9223372036854775807' }],
      { name: 'a', value: 'x' },
    ];
    for (const parameters of refused) expect(argoHelmParameters(parameters), JSON.stringify(parameters)).toBeNull();
  });
});
