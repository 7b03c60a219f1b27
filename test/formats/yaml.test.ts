import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/formats/yaml.js';

const MULTI = `# serving stack
apiVersion: v1
kind: Namespace
metadata:
  name: models
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  template:
    spec:
      containers:
        - name: triton   # the server
          image: nvcr.io/nvidia/tritonserver:24.05-py3
          ports:
            - containerPort: 8000
              hostPort: 8000
          securityContext: {runAsUser: 1000}
---
not: a kubernetes object
`;

describe('Kubernetes YAML', () => {
  const parsed = parseYaml('stack.yaml', MULTI);
  const [namespace, deployment] = parsed.resources;

  it('reads every document, with identities and line ranges, ignoring non-Kubernetes documents', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.resources.map((r) => [r.id, r.range.startLine, r.range.endLine])).toEqual([
      ['Namespace/models', 2, 5],
      ['Deployment/models/triton', 7, 21],
    ]);
  });

  it('locates any node, or its nearest existing ancestor', () => {
    expect(deployment!.source.locate(['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort'])).toEqual({ startLine: 20, endLine: 20, exact: true });
    expect(deployment!.source.locate(['spec', 'template', 'spec', 'containers', 0])).toEqual({ startLine: 16, endLine: 21, exact: true });
    expect(deployment!.source.locate(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'])).toEqual({ startLine: 16, endLine: 21, exact: false });
    expect(namespace!.source.locate(['metadata', 'labels'])).toEqual({ startLine: 4, endLine: 5, exact: false });
  });

  it('reads YAML 1.1 as Kubernetes does', () => {
    const p = parseYaml('p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: yes\n  x: 0755\n');
    expect(p.resources[0]!.body.spec).toEqual({ hostNetwork: true, x: 493 });
  });

  it('keeps comments, quoting and layout when it edits', () => {
    const c = ['spec', 'template', 'spec', 'containers', 0];
    const out = deployment!.source.apply(MULTI, [
      { op: 'remove', path: [...c, 'ports', 0, 'hostPort'] },
      { op: 'set', path: [...c, 'securityContext', 'runAsNonRoot'], value: true },
      { op: 'set', path: [...c, 'resources', 'limits', 'memory'], value: '16Gi' },
      { op: 'set', path: ['metadata', 'labels', 'app.kubernetes.io/name'], value: 'triton' },
    ]);
    expect(out).toBe(`# serving stack
apiVersion: v1
kind: Namespace
metadata:
  name: models
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
  labels:
    app.kubernetes.io/name: triton
spec:
  template:
    spec:
      containers:
        - name: triton   # the server
          image: nvcr.io/nvidia/tritonserver:24.05-py3
          ports:
            - containerPort: 8000
          securityContext: {runAsUser: 1000, runAsNonRoot: true}
          resources:
            limits:
              memory: 16Gi
---
not: a kubernetes object
`);
    // Applying the same ops again changes nothing.
    expect(deployment!.source.apply(out, [{ op: 'set', path: [...c, 'securityContext', 'runAsNonRoot'], value: true }])).toBe(out);
  });

  it('sets a block list to some of its items by removing the others: the kept items keep their comments', () => {
    const text = [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: a', '    securityContext:', '      capabilities:',
      '        add:', '        - NET_BIND_SERVICE  # the proxy binds :80', '        - SYS_ADMIN # debugging', '        - CHOWN', '        - NET_ADMIN', '',
    ].join('\n');
    const pod = parseYaml('p.yaml', text).resources[0]!;
    const add = ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add'];
    const out = pod.source.apply(text, [{ op: 'set', path: add, value: ['NET_BIND_SERVICE', 'CHOWN'] }]);
    expect(out).toBe(text.replace('        - SYS_ADMIN # debugging\n', '').replace('        - NET_ADMIN\n', ''));
    expect(parseYaml('p.yaml', out).resources[0]!.body).toMatchObject({ spec: { containers: [{ securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } } }] } });
    // Not a subsequence (reordered, or a new item): the list is written anew.
    const reordered = pod.source.apply(text, [{ op: 'set', path: add, value: ['CHOWN', 'NET_BIND_SERVICE'] }]);
    expect(parseYaml('p.yaml', reordered).resources[0]!.body).toMatchObject({ spec: { containers: [{ securityContext: { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } } }] } });
  });

  it('applies several ops on one missing block together, an append before the sets included', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: i\n';
    const pod = parseYaml('p.yaml', text).resources[0]!;
    const context = ['spec', 'containers', 0, 'securityContext'];
    const ops = [
      { op: 'append' as const, path: [...context, 'capabilities', 'drop'], value: 'ALL' },
      { op: 'set' as const, path: [...context, 'allowPrivilegeEscalation'], value: false },
      { op: 'append' as const, path: [...context, 'capabilities', 'drop'], value: 'NET_RAW' },
      { op: 'set' as const, path: ['spec', 'automountServiceAccountToken'], value: false },
    ];
    const out = pod.source.apply(text, ops);
    // Applied one at a time, the set would have found the block the append created and replaced it whole.
    expect(parseYaml('p.yaml', out).resources[0]!.body).toMatchObject({
      spec: { automountServiceAccountToken: false, containers: [{ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL', 'NET_RAW'] } } }] },
    });
    // In any order, the same settings.
    const reversed = parseYaml('p.yaml', pod.source.apply(text, [...ops].reverse())).resources[0]!.body;
    expect(reversed).toMatchObject({
      spec: { automountServiceAccountToken: false, containers: [{ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW', 'ALL'] } } }] },
    });
  });

  it('removes the first key of a sequence item without losing the dash', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - hostPort: 80\n    name: a\n';
    const pod = parseYaml('p.yaml', text).resources[0]!;
    expect(pod.source.apply(text, [{ op: 'remove', path: ['spec', 'containers', 0, 'hostPort'] }])).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n',
    );
  });

  it('sets a value over a block scalar, whole, keeping the next key on its line', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  sidecar: |\n    name: proxy\n    privileged: true\n  replicas: "2"\n';
    const map = parseYaml('c.yaml', text).resources[0]!;
    expect(map.source.apply(text, [{ op: 'set', path: ['data', 'sidecar'], value: 'none' }])).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  sidecar: none\n  replicas: "2"\n',
    );
    expect(map.source.apply(text, [{ op: 'set', path: ['data', 'sidecar'], value: { name: 'proxy' } }])).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  sidecar:\n    name: proxy\n  replicas: "2"\n',
    );
  });

  it('sets a key under a key whose value is empty (null), under it', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n  containers:\n  - name: a\n';
    const pod = parseYaml('p.yaml', text).resources[0]!;
    expect(pod.source.apply(text, [{ op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true }])).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n',
    );
    const explicit = text.replace('securityContext:\n', 'securityContext: ~  # none yet\n');
    expect(pod.source.apply(explicit, [{ op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true }])).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:  # none yet\n    runAsNonRoot: true\n  containers:\n  - name: a\n',
    );
  });

  it('names the line of a syntax error and still reads the other documents', () => {
    const p = parseYaml('x.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\nkind: Pod\nmetadata:\n  name: p\n bad: 1\n');
    expect(p.resources.map((r) => r.id)).toEqual(['Namespace/ok']);
    expect(p.errors).toEqual([{ line: 9, message: expect.stringContaining('same column') }]);
  });

});
