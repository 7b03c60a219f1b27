// Names from GitOps objects (Argo CD's Helm parameters, build variables, generator parameters and selectors; Flux's
// variables) that JavaScript reads as its prototype machinery: `__proto__`, `constructor`, `toString`. To Argo CD, Helm
// and Flux they are names like any other, and a name not given is absent. These objects are read on the main thread,
// which serves every review of the process: nothing they say may reach Object.prototype.
import { afterEach, describe, expect, it } from 'vitest';
import { argoSourceInstalls, fillTemplate, generatorParameterSets } from '../../src/common/argo.js';
import { putIn } from '../../src/common/argo-environment.js';
import { putVariablesIn, substitutionOf } from '../../src/common/flux-variables.js';
import { argoHelmParameters } from '../../src/common/helm-parameters.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildRepositoryIndex, memoryReader } from '../../src/engine/repository-index.js';
import { review } from '../../src/review.js';
import { LOOKED_UP_KINDS } from '../../rules/index.js';
import { githubPatch } from '../app/fake-github.js';

/** Object.prototype's own names when the file started: a test that adds one fails (and every later test would see it). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES));

describe('Argo CD Helm parameters named through __proto__ or constructor', () => {
  it('set keys of the values, as `helm --set` does, and nothing of Object.prototype', () => {
    const set = argoHelmParameters([
      { name: '__proto__.runAsNonRoot', value: 'true' },
      { name: 'constructor.prototype.privileged', value: 'false' },
      { name: 'toString', value: 'x' },
    ])!;
    expect(Object.keys(set)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(set)).toBe(Object.prototype);
    expect(set['__proto__']).toEqual({ runAsNonRoot: true });
    expect(set.constructor).toEqual({ prototype: { privileged: false } });
    expect(set.toString).toBe('x');
  });

  it('a plain name is set as before', () => {
    expect(argoHelmParameters([{ name: 'securityContext.runAsNonRoot', value: 'true' }])).toEqual({ securityContext: { runAsNonRoot: true } });
  });

  it('an Application setting one is reviewed: the chart it installs is not followed with it (fails closed), and the review leaves Object.prototype as it was', async () => {
    const OURS = 'https://github.com/example/platform';
    const head: Record<string, string> = {
      'charts/model/Chart.yaml': 'apiVersion: v2\nname: model\nversion: 0.1.0\n',
      'charts/model/values.yaml': 'replicas: 1\n',
      'charts/model/templates/deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: model\nspec:\n  template:\n    spec:\n      containers:\n        - name: model\n          image: registry.example.com/model@sha256:${'a'.repeat(64)}\n          securityContext:\n            privileged: {{ if .Values.__proto__ }}{{ .Values.__proto__.privileged }}{{ else }}false{{ end }}\n`,
      'apps/model.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: prod\n  namespace: argocd\nspec:\n  source:\n    repoURL: ${OURS}.git\n    path: charts/model\n    helm:\n      parameters:\n      - name: __proto__.privileged\n        value: "true"\n  destination:\n    namespace: models\n`,
    };
    const repository = { ...(await buildRepositoryIndex(memoryReader(head), DEFAULT_CONFIG, { kinds: LOOKED_UP_KINDS })), urls: [OURS] };
    const file = { path: 'apps/model.yaml', headText: head['apps/model.yaml']!, baseText: null, patch: githubPatch('', head['apps/model.yaml']!) };
    const result = await review({ files: [file], written: [file.path], config: DEFAULT_CONFIG, reader: memoryReader(head), repository });
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: 'warden/not-reviewed', file: 'apps/model.yaml', message: expect.stringContaining('Application `prod`') }));
  });
});

describe('Argo CD build variables and generator parameters only JavaScript objects have', () => {
  const environment = { ARGOCD_APP_NAME: 'serving' };

  it('a build variable named `constructor` or `__proto__` is not known: what names it is not followed', () => {
    expect(putIn('values-$constructor.yaml', environment)).toBeNull();
    expect(putIn('values-${__proto__}.yaml', environment)).toBeNull();
    expect(putIn('values-$ARGOCD_APP_NAME.yaml', environment)).toBe('values-serving.yaml');
    const application = (valueFile: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'serving' },
      spec: { source: { repoURL: 'https://github.com/example/platform', path: 'charts/model', helm: { valueFiles: [valueFile] } }, destination: { namespace: 'models' } },
    });
    expect(argoSourceInstalls('Application', application('values-$toString.yaml'))[0]!.installs).toBeNull();
    expect(argoSourceInstalls('Application', application('values-$ARGOCD_APP_NAME.yaml'))[0]!.installs?.map((i) => i.values)).toEqual([['charts/model/values-serving.yaml']]);
  });

  it('a template naming a parameter no generator gives keeps it as written', () => {
    expect(fillTemplate('{{constructor}}-{{ toString }}-{{env}}', { env: 'prod' })).toBe('{{constructor}}-{{ toString }}-prod');
  });

  it('a selector on a label no set has: `DoesNotExist` keeps every set, `Exists` none', () => {
    const generator = (operator: string) => ({ list: { elements: [{ env: 'prod' }, { env: 'staging' }] }, selector: { matchExpressions: [{ key: 'constructor', operator }] } });
    expect(generatorParameterSets([generator('DoesNotExist')], false)).toEqual([{ env: 'prod' }, { env: 'staging' }]);
    expect(generatorParameterSets([generator('Exists')], false)).toEqual([]);
  });

  it('a matrix pairs a child’s `constructor` parameter with the other’s, as it does any name', () => {
    const matrix = { matrix: { generators: [{ list: { elements: [{ env: 'prod' }] } }, { list: { elements: [{ constructor: 'gpu' }] } }] } };
    expect(generatorParameterSets([matrix], false)).toEqual([{ env: 'prod', constructor: 'gpu' }]);
  });
});

describe('a Flux variable whose value makes a key __proto__', () => {
  it('is a key of the object Flux deploys, never its prototype', () => {
    const substitution = substitutionOf({ spec: { postBuild: { substitute: { KEY: '__proto__' } } } })!;
    const notPut: unknown[] = [];
    const body = putVariablesIn({ securityContext: { '${KEY}': { runAsNonRoot: true } } }, substitution, [], (path, what) => notPut.push([path, what]), true) as { securityContext: Record<string, unknown> };
    expect(notPut).toEqual([]);
    expect(Object.getPrototypeOf(body.securityContext)).toBe(Object.prototype);
    expect(body.securityContext.runAsNonRoot).toBeUndefined();
    expect(Object.hasOwn(body.securityContext, '__proto__')).toBe(true);
  });
});
