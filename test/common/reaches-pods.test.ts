// Whether an Argo Events trigger's parameter, writing an event's value at its `dest`, can change a pod Warden judges of
// the object the trigger makes (src/common/argo-events.ts reachesPods): precise, so that only those are said not reviewed.
import { describe, expect, it } from 'vitest';
import { destPath, reachesPods } from '../../src/common/argo-events.js';

const workflow = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { generateName: 'train-' },
  spec: {
    entrypoint: 'main',
    securityContext: { runAsNonRoot: true },
    arguments: { parameters: [{ name: 'data', value: 'none' }] },
    templates: [{ name: 'main', steps: [[{ name: 'train', template: 'train' }]] }, { name: 'train', container: { image: 'trainer:1.0' } }],
  },
};

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'a:1' }] } };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, template: { spec: pod.spec } } };

const reaches = (object: Record<string, unknown>, dest: string) => reachesPods(object, destPath(dest));

describe('reachesPods', () => {
  it('an Argo Workflow: its templates\' pods and the settings its spec gives every pod, not its arguments', () => {
    expect(reaches(workflow, 'spec.arguments.parameters.0.value')).toBe(false);
    expect(reaches(workflow, 'spec.entrypoint')).toBe(false);
    expect(reaches(workflow, 'metadata.generateName')).toBe(false);
    expect(reaches(workflow, 'spec.templates.1.container.image')).toBe(true);
    expect(reaches(workflow, 'spec.securityContext.runAsNonRoot')).toBe(true);
    expect(reaches(workflow, 'spec.hostNetwork')).toBe(true);
    // A whole template from the event, appended or in place of one that runs a pod.
    expect(reaches(workflow, 'spec.templates.-1')).toBe(true);
    expect(reaches(workflow, 'spec.templates.1')).toBe(true);
  });

  it('a Pod\'s annotations are its pod\'s; a Deployment\'s are not, nor its replicas', () => {
    expect(reaches(pod, 'metadata.annotations.container\\.apparmor\\.security\\.beta\\.kubernetes\\.io/a')).toBe(true);
    expect(reaches(pod, 'metadata.name')).toBe(false);
    expect(reaches(deployment, 'metadata.annotations.owner')).toBe(false);
    expect(reaches(deployment, 'spec.replicas')).toBe(false);
    expect(reaches(deployment, 'spec.template.spec.containers.-1')).toBe(true);
    expect(reaches(deployment, 'spec.template.spec.containers.0.securityContext.privileged')).toBe(true);
    expect(reaches(deployment, 'spec.template')).toBe(true);
    // The stub that names a live Deployment: a container the event writes into it is one.
    expect(reaches({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, 'spec.template.spec.containers.0.image')).toBe(true);
    // Another kind's pods are not all of a shape the walk finds (a KServe framework container): anything but its metadata.
    expect(reaches({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'i' }, spec: {} }, 'spec.predictor.model.image')).toBe(true);
  });

  it('a key that is every object\'s (`__proto__`) is a key like any other', () => {
    expect(reaches(deployment, 'spec.__proto__.x')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
