// A list deploys its items (src/formats/listed-objects.ts): a manifest written as `kind: List` (what `kubectl get -o
// yaml` writes), as `PodList`, or as any object with an `items` array is reviewed item by item. The rule-tester cases
// prove each fix on an item: the output parses, the rule no longer fires, a second application changes nothing.
import { describe, expect, it } from 'vitest';
import privileged from '../../rules/k8s/privileged.js';
import { parseFile } from '../../src/formats/index.js';
import { blankUnreadDocuments } from '../../src/formats/unread-documents.js';
import { UNREAD_DOCUMENTS } from '../../rules/index.js';
import { ruleTester } from '../rule-tester.js';
import { replaced } from '../rules/pss/helpers.js';

const LIST = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: triton
      namespace: models
    spec:
      ports:
        - port: 8000
  - apiVersion: apps/v1
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
              securityContext:
                privileged: true
`;

/** A PodList holding a List of one Pod: lists of lists are flattened, as kubectl does. */
const NESTED = `apiVersion: v1
kind: PodList
items:
- apiVersion: v1
  kind: List
  items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug, namespace: models}
    spec:
      containers:
      - name: shell
        image: busybox:1.36
        securityContext: {privileged: true}
`;

ruleTester(privileged, {
  valid: [],
  invalid: [
    { name: 'a container of a YAML List', file: 'k8s/list.yaml', code: LIST, errors: [{ line: 26 }], output: replaced(LIST, ['privileged: true', 'privileged: false']) },
    { name: 'a Pod in a List in a PodList, written in flow style', file: 'k8s/nested.yaml', code: NESTED, errors: [{ line: 14 }], output: replaced(NESTED, ['{privileged: true}', '{privileged: false}']) },
  ],
});

describe('lists', () => {
  it('are their items: each a resource with its own lines and its path in the document, the list none', async () => {
    const parsed = await parseFile('k8s/list.yaml', LIST);
    expect(parsed?.errors).toEqual([]);
    expect(parsed?.resources.map((r) => [r.id, r.range.startLine, r.range.endLine, r.documentPath])).toEqual([
      ['Service/models/triton', 6, 13, ['items', 0]],
      ['Deployment/models/triton', 14, 26, ['items', 1]],
    ]);
    const deployment = parsed!.resources[1]!;
    expect(deployment.source.locate(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ startLine: 24, endLine: 24, exact: true });
    expect(deployment.source.locate(['spec', 'template', 'spec', 'hostNetwork'])).toEqual({ startLine: 21, endLine: 26, exact: false });
  });

  it('are any object with an `items` array, whatever its kind, as kubectl decodes it; an item that is no manifest is skipped', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n- just a string\n- {kind: Pod}\n';
    const parsed = await parseFile('k8s/odd.yaml', text);
    expect(parsed?.resources.map((r) => r.id)).toEqual(['Pod/p']);
    // Without `items` (or with something else there), an object is itself.
    const plain = await parseFile('k8s/plain.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  items: "3"\n');
    expect(plain?.resources.map((r) => [r.id, r.documentPath])).toEqual([['ConfigMap/c', undefined]]);
    // YAML that does not say what it is is no list kubectl would apply, whatever its `items` hold.
    const other = await parseFile('ci/matrix.yaml', 'items:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n');
    expect(other?.resources ?? []).toEqual([]);
  });

  it('in JSON too, whatever the list kind is called', async () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'DeploymentCollection', items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }] }, null, 2);
    const parsed = await parseFile('k8s/list.json', json);
    expect(parsed?.resources.map((r) => [r.id, r.documentPath])).toEqual([['Deployment/d', ['items', 0]]]);
  });

  it('are never left unparsed, whatever kind the list says it is', () => {
    const crdNamedList = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nitems:\n  - apiVersion: v1\n    kind: Pod\n';
    expect(blankUnreadDocuments(crdNamedList, UNREAD_DOCUMENTS)).toBe(crdNamedList);
    // The same document without `items` is left out, as before.
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {}\n';
    expect(blankUnreadDocuments(crd, UNREAD_DOCUMENTS)).not.toBe(crd);
  });
});
