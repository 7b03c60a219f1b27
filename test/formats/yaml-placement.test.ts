// The YAML writer puts a new key where the pull request removed lines, when it is told where they were.
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/formats/yaml.js';
import type { EditOp } from '../../src/model.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tf-serving
spec:
  template:
    spec:
      serviceAccountName: serving
      containers:
        - name: tf-serving
          image: tensorflow/serving:2.14.1
          ports:
            - containerPort: 8501
          resources:
            limits:
              memory: 2Gi
`;
const container = ['spec', 'template', 'spec', 'containers', 0];
const podSpec = ['spec', 'template', 'spec'];

function apply(text: string, ops: EditOp[], document = 0): string {
  const resource = parseYaml('d.yaml', text).resources[document]!;
  return resource.source.apply(text, ops);
}

function lines(text: string): string[] {
  return text.split('\n');
}

describe('placing a new key of a block mapping', () => {
  it('goes after the line named when that line ends an entry of the mapping', () => {
    // After line 13 (the end of `ports`), where a `securityContext` was removed.
    const out = apply(DEPLOYMENT, [{ op: 'set', path: [...container, 'securityContext', 'allowPrivilegeEscalation'], value: false, insertAfter: [13] }]);
    expect(lines(out).slice(10, 17)).toEqual([
      '          image: tensorflow/serving:2.14.1',
      '          ports:',
      '            - containerPort: 8501',
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '          resources:',
      '            limits:',
    ]);
    expect(parseYaml('d.yaml', out).errors).toEqual([]);
  });

  it('goes last when no line named ends an entry (one inside an entry, or outside the mapping)', () => {
    const last = apply(DEPLOYMENT, [{ op: 'set', path: [...container, 'securityContext', 'runAsNonRoot'], value: true }]);
    // Line 12 is inside `ports`; line 4 is outside the container.
    expect(apply(DEPLOYMENT, [{ op: 'set', path: [...container, 'securityContext', 'runAsNonRoot'], value: true, insertAfter: [12, 4] }])).toBe(last);
    expect(lines(last).slice(-3)).toEqual(['          securityContext:', '            runAsNonRoot: true', '']);
  });

  it('goes first when the line named is the one before the first entry, unless that entry opens a `- ` item', () => {
    const out = apply(DEPLOYMENT, [{ op: 'set', path: [...podSpec, 'securityContext', 'runAsNonRoot'], value: true, insertAfter: [7] }]);
    expect(lines(out).slice(6, 10)).toEqual(['    spec:', '      securityContext:', '        runAsNonRoot: true', '      serviceAccountName: serving']);
    // Line 9 is just before `- name:`: a key cannot go between the dash and its item's first key.
    const last = apply(DEPLOYMENT, [{ op: 'set', path: [...container, 'securityContext', 'runAsNonRoot'], value: true }]);
    expect(apply(DEPLOYMENT, [{ op: 'set', path: [...container, 'securityContext', 'runAsNonRoot'], value: true, insertAfter: [9] }])).toBe(last);
  });

  it('keeps each key of several ops where it was removed, in a later document, however many lines the ops before it added', () => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: serving\n---\n${DEPLOYMENT}`;
    // The deployment's lines move by 5; the pod's key was removed after `spec:`, the container's after `image:`.
    const out = apply(
      text,
      [
        { op: 'set', path: [...podSpec, 'securityContext', 'runAsNonRoot'], value: true, insertAfter: [12, 16] },
        { op: 'set', path: [...container, 'securityContext', 'allowPrivilegeEscalation'], value: false, insertAfter: [12, 16] },
        { op: 'set', path: [...container, 'securityContext', 'readOnlyRootFilesystem'], value: true, insertAfter: [12, 16] },
      ],
      1,
    );
    expect(lines(out).slice(11, 23)).toEqual([
      '    spec:',
      '      securityContext:',
      '        runAsNonRoot: true',
      '      serviceAccountName: serving',
      '      containers:',
      '        - name: tf-serving',
      '          image: tensorflow/serving:2.14.1',
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '            readOnlyRootFilesystem: true',
      '          ports:',
      '            - containerPort: 8501',
    ]);
  });
});
