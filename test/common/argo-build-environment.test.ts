// Argo CD puts its build environment into the values files a Helm source lists before Helm reads them: the paths
// Warden renders a chart with are those, or the source is not followed.
import { describe, expect, it } from 'vitest';
import { argoSourceInstalls } from '../../src/common/argo.js';

const application = (valueFile: string, namespace?: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'serving', ...(namespace ? { namespace } : {}) },
  spec: {
    source: { repoURL: 'https://github.com/example/platform', path: 'charts/model', targetRevision: 'v2', helm: { valueFiles: [valueFile] } },
    destination: { namespace: 'models' },
  },
});
const valuesOf = (valueFile: string, namespace?: string) => argoSourceInstalls('Application', application(valueFile, namespace))[0]!.installs?.map((install) => install.values) ?? null;

describe('the build environment in values files', () => {
  it('puts in the name, destination namespace, source path and target revision, bare or braced, and `$$` as `$`', () => {
    expect(valuesOf('values-$ARGOCD_APP_NAME.yaml')).toEqual([['charts/model/values-serving.yaml']]);
    expect(valuesOf('../../envs/${ARGOCD_APP_NAMESPACE}/$ARGOCD_APP_SOURCE_TARGET_REVISION.yaml')).toEqual([['envs/models/v2.yaml']]);
    expect(valuesOf('values-$$ARGOCD_APP_NAME.yaml')).toEqual([['charts/model/values-$ARGOCD_APP_NAME.yaml']]);
    expect(valuesOf('values-$ARGOCD_APP_NAME.yaml', 'argocd')).toEqual([['charts/model/values-serving.yaml']]);
  });

  it('does not follow a variable it does not know, one it reads otherwise, or the name of an Application outside Argo CD’s namespace', () => {
    expect(valuesOf('values-$ARGOCD_APP_REVISION.yaml')).toBeNull();
    expect(valuesOf('values-$UNKNOWN.yaml')).toBeNull();
    expect(valuesOf('values-$1.yaml')).toBeNull();
    expect(valuesOf('values-${}.yaml')).toBeNull();
    expect(valuesOf('values-$ARGOCD_APP_NAME.yaml', 'team-a')).toBeNull();
  });
});
