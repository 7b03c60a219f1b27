// Kustomize composition: what each feature builds, and where findings on the composed objects land.
import { describe, expect, it } from 'vitest';
import privileged from '../../rules/k8s/privileged.js';
import runAsNonRoot from '../../rules/k8s/run-as-non-root.js';
import imageTagPinned from '../../rules/k8s/image-tag-pinned.js';
import credentialLiteral from '../../rules/k8s/credential-literal.js';
import secretCommitted from '../../rules/k8s/secret-committed.js';
import servicePublicExposure from '../../rules/k8s/service-public-exposure.js';
import { getIn } from '../../src/engine/path.js';
import { MAX_ROOTS, readLayout, rootsReaching } from '../../src/compose/layout.js';
import { HARDENED_DEPLOYMENT, compose, composedFindings, envPatch, proveFix } from './helpers.js';

const BASE = {
  'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'serving/base/deployment.yaml': HARDENED_DEPLOYMENT,
};

function overlay(kustomization: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...BASE, 'serving/overlays/prod/kustomization.yaml': kustomization, ...Object.fromEntries(Object.entries(extra).map(([name, text]) => [`serving/overlays/prod/${name}`, text])) };
}

async function composedBodies(files: Record<string, string>) {
  const composed = await compose(files);
  return { bodies: composed.files.flatMap((f) => f.resources.map((r) => r.body)), notes: composed.notes, composed };
}

const container = (body: Record<string, unknown>, i = 0) => getIn(body, ['spec', 'template', 'spec', 'containers', i]) as Record<string, unknown>;

const ENV_PATCH = envPatch();
const PRIVILEGED_PATCH = envPatch('        securityContext:\n          privileged: true\n');

describe('composition', () => {
  it('builds a Deployment through an overlay: namespace, prefix and suffix, labels, replicas, images', async () => {
    const { bodies, notes } = await composedBodies(
      overlay(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: models-prod
namePrefix: prod-
nameSuffix: -v2
commonLabels:
  team: ml
labels:
- pairs:
    tier: serving
resources:
- ../../base
replicas:
- name: triton
  count: 5
images:
- name: nvcr.io/nvidia/tritonserver
  newName: registry.example.com/triton
  digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
`),
    );
    expect(notes).toEqual([]);
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(getIn(body, ['metadata'])).toMatchObject({ name: 'prod-triton-v2', namespace: 'models-prod', labels: { team: 'ml', tier: 'serving', 'app.kubernetes.io/name': 'triton' } });
    expect(getIn(body, ['spec', 'selector', 'matchLabels'])).toEqual({ 'app.kubernetes.io/name': 'triton', team: 'ml' });
    expect(getIn(body, ['spec', 'template', 'metadata', 'labels', 'team'])).toBe('ml');
    expect(getIn(body, ['spec', 'template', 'metadata', 'labels', 'tier'])).toBeUndefined();
    expect(getIn(body, ['spec', 'replicas'])).toBe(5);
    expect(container(body).image).toBe('registry.example.com/triton@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  });

  it('reads nested kustomizations, folders given with a trailing slash, legacy bases and components', async () => {
    const { bodies, notes } = await composedBodies({
      ...BASE,
      'serving/mid/kustomization.yaml': 'bases:\n- ../base/\nnamePrefix: mid-\n',
      'serving/components/gpu/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: triton
    spec:
      template:
        spec:
          nodeSelector:
            gpu: "true"
`,
      'serving/overlays/prod/kustomization.yaml': 'resources:\n- ../../mid\ncomponents:\n- ../../components/gpu\nnamespace: prod\n',
    });
    expect(notes).toEqual([]);
    expect(bodies.map((b) => getIn(b, ['metadata', 'name']))).toEqual(['mid-triton']);
    expect(getIn(bodies[0], ['spec', 'template', 'spec', 'nodeSelector'])).toEqual({ gpu: 'true' });
  });

  it('reads a file an entry names whatever its name, as kustomize does (`pod.txt`); a name without a dot is a folder', async () => {
    const { bodies, notes } = await composedBodies({
      ...BASE,
      'serving/overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n- extra.txt\nnamespace: prod\n',
      'serving/overlays/prod/extra.txt': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: extra\n',
    });
    expect(notes.map((n) => n.message)).toEqual([expect.stringContaining('`serving/overlays/prod/extra.txt` is read as YAML whatever its name')]);
    expect(bodies.map((b) => `${String(getIn(b, ['kind']))}/${String(getIn(b, ['metadata', 'namespace']))}/${String(getIn(b, ['metadata', 'name']))}`)).toEqual(['Deployment/prod/triton', 'ServiceAccount/prod/extra']);
  });

  it('merges strategic-merge patches by merge key; $patch delete and replace; lists without a key are replaced', async () => {
    const { bodies } = await composedBodies(
      overlay('resources:\n- ../../base\npatchesStrategicMerge:\n- patch.yaml\n', {
        'patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        args: ["tritonserver", "--strict-model-config=false"]
        ports:
        - containerPort: 8001
          $patch: delete
        volumeMounts:
        - mountPath: /cache
          name: cache
      - name: sidecar
        image: envoy:1.30
      volumes:
      - $patch: replace
      - name: cache
        emptyDir: {}
      securityContext:
        $patch: replace
        runAsNonRoot: true
`,
      }),
    );
    const body = bodies[0]!;
    const main = container(body);
    expect(main.args).toEqual(['tritonserver', '--strict-model-config=false']);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8000 }]);
    expect(main.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { mountPath: '/cache', name: 'cache' }]);
    expect(container(body, 1)).toEqual({ name: 'sidecar', image: 'envoy:1.30' });
    expect(getIn(body, ['spec', 'template', 'spec', 'volumes'])).toEqual([{ name: 'cache', emptyDir: {} }]);
    expect(getIn(body, ['spec', 'template', 'spec', 'securityContext'])).toEqual({ runAsNonRoot: true });
  });

  it('applies JSON 6902 patches (legacy and `patches` with a target selected by kind, name regex and labels) and inline ones', async () => {
    const { bodies } = await composedBodies(
      overlay(
        `resources:
- ../../base
patchesJson6902:
- target:
    group: apps
    version: v1
    kind: Deployment
    name: triton
  path: ops.yaml
patches:
- target:
    kind: Deployment
    name: "tri.*"
    labelSelector: "app.kubernetes.io/component=model-server,!canary"
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/env
      value:
      - name: MODE
        value: fast
- target:
    kind: Deployment
    labelSelector: "app.kubernetes.io/component in (other)"
  patch: '[{"op": "replace", "path": "/spec/replicas", "value": 9}]'
`,
        { 'ops.yaml': '- op: replace\n  path: /spec/replicas\n  value: 3\n' },
      ),
    );
    const body = bodies[0]!;
    expect(getIn(body, ['spec', 'replicas'])).toBe(3);
    expect(container(body).env).toEqual([{ name: 'MODE', value: 'fast' }]);
  });

  it('leaves custom resources\' lists to be replaced, as kustomize does without their schema', async () => {
    const { bodies } = await composedBodies({
      'base/kustomization.yaml': 'resources:\n- isvc.yaml\n',
      'base/isvc.yaml': 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: m\nspec:\n  predictor:\n    containers:\n    - name: kserve-container\n      image: a:1\n      args: [x]\n',
      'prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: serving.kserve.io/v1beta1\n    kind: InferenceService\n    metadata:\n      name: m\n    spec:\n      predictor:\n        containers:\n        - name: kserve-container\n          image: a:2\n',
    });
    expect(getIn(bodies[0], ['spec', 'predictor', 'containers'])).toEqual([{ name: 'kserve-container', image: 'a:2' }]);
  });
});

describe('findings on composed objects', () => {
  it('a patch that changes only env gets no finding at all', async () => {
    const { findings } = await composedFindings(overlay('namespace: models\nresources:\n- ../../base\npatches:\n- path: env.yaml\n', { 'env.yaml': ENV_PATCH }));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
  });

  it('a patch that sets privileged: true is reported on that patch line, and fixed in the patch', async () => {
    const files = overlay('namespace: models\nresources:\n- ../../base\npatchesStrategicMerge:\n- privileged.yaml\n', { 'privileged.yaml': PRIVILEGED_PATCH });
    const { findings } = await composedFindings(files);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/overlays/prod/privileged.yaml:14 k8s/privileged']);
    expect(findings[0]!.fix!.edits.map((e) => e.file)).toEqual(['serving/overlays/prod/privileged.yaml']);
    const after = await proveFix(files, findings[0]!);
    expect(after['serving/base/deployment.yaml']).toBe(files['serving/base/deployment.yaml']);
  });

  it('a JSON 6902 remove of runAsNonRoot is reported on that operation, with no fix in the base it would not reach', async () => {
    const ops = `- op: remove
  path: /spec/template/spec/securityContext/runAsNonRoot
- op: remove
  path: /spec/template/spec/containers/0/securityContext/runAsNonRoot
`;
    const files = overlay('namespace: models\nresources:\n- ../../base\npatches:\n- path: ops.yaml\n  target:\n    kind: Deployment\n    name: triton\n', { 'ops.yaml': ops });
    const { findings } = await composedFindings(files, [runAsNonRoot]);
    expect(findings.map((f) => `${f.file}:${f.line}-${f.endLine} ${f.ruleId}`)).toEqual(['serving/overlays/prod/ops.yaml:3-4 k8s/run-as-non-root']);
    expect(findings[0]!.fix!.edits).toEqual([]);
    expect(findings[0]!.fix!.applicability).toBe('display');
  });

  it('commonAnnotations reach every object and its pods: an overlay that makes a LoadBalancer internal clears the finding on it', async () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: triton\nspec:\n  type: LoadBalancer\n  selector:\n    app: triton\n  ports:\n  - port: 8000\n';
    const base = { ...BASE, 'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n', 'serving/base/service.yaml': service };
    const plain = { ...base, 'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\n' };
    expect((await composedFindings(plain, [servicePublicExposure])).findings.map((f) => f.ruleId)).toEqual(['k8s/service-public-exposure']);
    const internal = { ...base, 'serving/overlays/prod/kustomization.yaml': 'namespace: models\nresources:\n- ../../base\ncommonAnnotations:\n  service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n' };
    const { findings, composed } = await composedFindings(internal, [servicePublicExposure]);
    expect(findings).toEqual([]);
    const deployment = composed.files.flatMap((f) => f.resources).find((r) => r.kind === 'Deployment')!;
    expect(getIn(deployment.body, ['spec', 'template', 'metadata', 'annotations', 'service.beta.kubernetes.io/aws-load-balancer-scheme'])).toBe('internal');
    expect(deployment.source.locate(['metadata', 'annotations', 'service.beta.kubernetes.io/aws-load-balancer-scheme'])).toMatchObject({ startLine: 5, origin: { file: 'serving/overlays/prod/kustomization.yaml' } });
  });

  it('an images: entry with newTag: latest is reported on that entry', async () => {
    const files = overlay('namespace: models\nresources:\n- ../../base\nimages:\n- name: nvcr.io/nvidia/tritonserver\n  newTag: latest\n');
    const { findings } = await composedFindings(files, [imageTagPinned]);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/overlays/prod/kustomization.yaml:6 k8s/image-tag-pinned']);
  });

  it('a missing setting of a base built by three overlays is one finding, on the base, fixed in the base', async () => {
    const base = HARDENED_DEPLOYMENT.replace('          runAsNonRoot: true\n', '').replace('        runAsNonRoot: true\n', '');
    const files: Record<string, string> = { 'serving/base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'serving/base/deployment.yaml': base };
    for (const env of ['dev', 'staging', 'prod']) files[`serving/overlays/${env}/kustomization.yaml`] = `namespace: models-${env}\nresources:\n- ../../base\n`;
    const { findings, composed } = await composedFindings(files, [runAsNonRoot]);
    expect(composed.files).toHaveLength(3);
    // The container's securityContext (line 55) is where the missing setting belongs.
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['serving/base/deployment.yaml:55 k8s/run-as-non-root']);
    expect(findings[0]!.fix!.edits.map((e) => e.file)).toEqual(['serving/base/deployment.yaml']);
    await proveFix(files, findings[0]!, [runAsNonRoot]);
  });

  it('a privileged container a base sets is reported on the base, once, though a patch merged into that container', async () => {
    const files = overlay('resources:\n- ../../base\npatches:\n- path: env.yaml\n', { 'env.yaml': ENV_PATCH });
    files['serving/base/deployment.yaml'] = HARDENED_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          privileged: true\n');
    const { findings } = await composedFindings(files, [privileged]);
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['serving/base/deployment.yaml:58']);
    await proveFix(files, findings[0]!, [privileged]);
  });

  it('generators: their inline literals are composed as a ConfigMap and a Secret, findings on the literal line', async () => {
    const kustomization = `namespace: models
resources:
- ../../base
configMapGenerator:
- name: triton-config
  literals:
  - LOG_LEVEL=info
  - AWS_ACCESS_KEY_ID=AKIAQ2Z7EXAMPLE4KEYS
secretGenerator:
- name: triton-token
  literals:
  - token=s3cr3t-value
`;
    const { findings, composed } = await composedFindings(overlay(kustomization), [credentialLiteral, secretCommitted]);
    const bodies = composed.files.flatMap((f) => f.resources.map((r) => r.body));
    expect(bodies.find((b) => b.kind === 'ConfigMap')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'triton-config', namespace: 'models' }, data: { LOG_LEVEL: 'info', AWS_ACCESS_KEY_ID: 'AKIAQ2Z7EXAMPLE4KEYS' } });
    expect(getIn(bodies.find((b) => b.kind === 'Secret'), ['data'])).toEqual({ token: Buffer.from('s3cr3t-value').toString('base64') });
    // The Secret's `data` as a whole is its generator's `literals:`; a credential, its own line.
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort()).toEqual([
      'serving/overlays/prod/kustomization.yaml:11 k8s/secret-committed',
      'serving/overlays/prod/kustomization.yaml:8 k8s/credential-literal',
    ]);
    expect(composed.notes).toEqual([]);
  });

  it('never reviews a patch file as a standalone object', async () => {
    const composed = await compose(overlay('resources:\n- ../../base\npatches:\n- path: env.yaml\n', { 'env.yaml': ENV_PATCH }));
    expect([...composed.consumed].sort()).toEqual(['serving/base/deployment.yaml', 'serving/overlays/prod/env.yaml']);
    expect(composed.files.flatMap((f) => f.resources.map((r) => r.file))).toEqual(['serving/base/deployment.yaml']);
  });

  it('a suppression comment on the patch line suppresses the finding there', async () => {
    const patch = PRIVILEGED_PATCH.replace('          privileged: true', '          # warden:ignore k8s/privileged -- GPU driver installer\n          privileged: true');
    const { findings } = await composedFindings(overlay('resources:\n- ../../base\npatches:\n- path: p.yaml\n', { 'p.yaml': patch }), [privileged]);
    expect(findings.map((f) => f.suppressed?.reason)).toEqual(['GPU driver installer']);
  });
});

describe('remote bases and bad input', () => {
  it('names a remote base as not composed, at its entry, requests nothing, and composes the local rest', async () => {
    const files = overlay('resources:\n- ../../base\n- https://github.com/example/policies//base?ref=v1\n- github.com/example/other/base\n', {});
    const requested: string[] = [];
    const { composeChanged } = await import('../../src/compose/index.js');
    const composed = await composeChanged(Object.keys(files), new Set(Object.keys(files)), async (path) => {
      requested.push(path);
      return files[path] ?? null;
    });
    expect(requested.filter((p) => /github|https/.test(p))).toEqual([]);
    expect(composed.uncomposed.map((n) => [n.message, n.lines?.startLine])).toEqual([
      ['remote base `https://github.com/example/policies//base?ref=v1` is not fetched (Warden fetches nothing): what it adds was not composed', 3],
      ['remote base `github.com/example/other/base` is not fetched (Warden fetches nothing): what it adds was not composed', 4],
    ]);
    expect(composed.files.flatMap((f) => f.resources.map((r) => r.id))).toEqual(['Deployment/triton']);
  });

  it('a kustomization that includes itself, directly or through a cycle, is a note', async () => {
    const composed = await compose({
      ...BASE,
      'self/kustomization.yaml': 'resources:\n- ./\n- ../serving/base\n',
      'a/kustomization.yaml': 'resources:\n- ../b\n',
      'b/kustomization.yaml': 'resources:\n- ../a\n- ../serving/base\n',
    });
    expect(composed.notes.map((n) => `${n.file}: ${n.message}`)).toEqual([
      'b/kustomization.yaml: includes itself (`a` is already being built): that cycle is not followed',
      'self/kustomization.yaml: includes itself (`self` is already being built): that cycle is not followed',
    ]);
    // Each still builds the rest of what it names.
    expect(composed.roots).toEqual(['a', 'b', 'self']);
    expect(composed.files.map((f) => [f.file, f.resources.map((r) => r.id)])).toEqual([
      ['a/kustomization.yaml', ['Deployment/triton']],
      ['b/kustomization.yaml', ['Deployment/triton']],
      ['self/kustomization.yaml', ['Deployment/triton']],
    ]);
  });

  it('a patch whose target does not exist and a JSON 6902 op on a missing path are notes; the rest is composed', async () => {
    const { bodies, notes } = await composedBodies(
      overlay(
        `resources:
- ../../base
patches:
- path: ghost.yaml
- target:
    kind: Deployment
    name: triton
  patch: |-
    - op: replace
      path: /spec/template/spec/nothing/here
      value: 1
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 7
`,
        { 'ghost.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ghost\nspec:\n  replicas: 0\n' },
      ),
    );
    expect(notes.map((n) => n.message)).toEqual([
      'patch at `patches[0]` targets kind `Deployment`, name `ghost`, which nothing this kustomization builds is as Warden matches it: not applied',
      expect.stringMatching(/^JSON 6902 patch on Deployment\/triton \(from serving\/overlays\/prod\/kustomization.yaml `patches\[1\]`\) stops at `replace \/spec\/template\/spec\/nothing\/here`: /),
    ]);
    expect(getIn(bodies[0], ['spec', 'replicas'])).toBe(7);
  });

  it('a 10,000-overlay fan-out of one base is composed within bounds; what the roots past them read of the change is not reviewed', async () => {
    const files: Record<string, string> = { ...BASE };
    for (let i = 0; i < 10_000; i++) files[`fan/o${i}/kustomization.yaml`] = `namespace: n${i}\nresources:\n- ../../serving/base\n`;
    const started = performance.now();
    const { findings, composed } = await composedFindings(files, [privileged], { changed: { 'serving/base/deployment.yaml': null } });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(findings).toEqual([]);
    expect(composed.notes.map((n) => n.message)).toEqual(['10001 kustomizations, more than the 5000 read: the rest are not composed']);
    expect(composed.files).toHaveLength(MAX_ROOTS);
    // The base is built by roots past the bound too: how they deploy it is not known.
    expect(composed.uncomposed).toEqual([
      { file: 'serving/base/deployment.yaml', message: `a build that reads this file was cut (4999 kustomizations build the changed files, more than the ${MAX_ROOTS} composed): it was not composed`, lines: null, input: 'file' },
    ]);
  });
});

describe('finding the kustomizations to build', () => {
  it('is linear in the kustomizations: a chain of 4,000 each including the one below finds its one root at once', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4000; i++) files[`k${i}/kustomization.yaml`] = i === 0 ? 'resources:\n- deployment.yaml\n' : `resources:\n- ../k${i - 1}\n`;
    // A cycle at the top of the chain: both of its kustomizations count as roots, as neither has a parent outside it.
    files['c1/kustomization.yaml'] = 'resources:\n- ../c2\n- ../k3999\n';
    files['c2/kustomization.yaml'] = 'resources:\n- ../c1\n';
    const layout = await readLayout(Object.keys(files), async (path) => files[path] ?? null);
    const started = performance.now();
    const { roots } = rootsReaching(layout, new Set(['k0/deployment.yaml']));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(roots).toEqual(['c1', 'c2']);
  });
});

describe('odd kustomizations', () => {
  it('entries of the wrong type, an object deleted by its patch, a patch that is not an object: no crash, the rest composed', async () => {
    const { bodies, notes } = await composedBodies({
      ...BASE,
      'serving/base/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
      'odd/kustomization.yaml': `namespace: 5
namePrefix: [x]
resources: ../serving/base
bases:
- 7
- ../serving/base
- ../serving/base/extra.yaml
patches:
- 12
- {}
- patch: "just text"
- patch: |-
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: extra
    $patch: delete
- target:
    kind: Deployment
  patch: |-
    - op: move
      from: /spec/replicas
      path: /spec/minReadySeconds
    - op: copy
      from: /spec/template/spec/containers/0/name
      path: /metadata/labels/main
    - op: test
      path: /spec/minReadySeconds
      value: 2
    - op: nonsense
      path: /spec
    - 42
images:
- name: 5
- newTag: latest
replicas:
- name: triton
  count: "three"
commonLabels: [a]
labels:
- pairs: nope
`,
    });
    expect(bodies.map((b) => `${String(b.kind)}/${String(getIn(b, ['metadata', 'name']))}`)).toEqual(['Deployment/triton']);
    const body = bodies[0]!;
    expect(getIn(body, ['spec', 'minReadySeconds'])).toBe(2);
    expect(getIn(body, ['spec', 'replicas'])).toBeUndefined();
    expect(getIn(body, ['metadata', 'labels', 'main'])).toBe('triton');
    expect(notes.map((n) => n.message)).toEqual([
      'patch at `patches[1]` gives neither `path` nor `patch`: skipped',
      expect.stringMatching(/^JSON 6902 patch on Deployment\/triton .* stops at `nonsense \/spec`: /),
    ]);
  });

  it('a moved or copied value keeps its origin: a finding on it lands on the base line it came from', async () => {
    const files = overlay(
      `resources:
- ../../base
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/spec/initContainers
      value: []
    - op: copy
      from: /spec/template/spec/containers/0
      path: /spec/template/spec/initContainers/-
`,
    );
    files['serving/base/deployment.yaml'] = HARDENED_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '          allowPrivilegeEscalation: false\n          privileged: true\n');
    const { findings, composed } = await composedFindings(files, [privileged]);
    expect(composed.notes).toEqual([]);
    // The container and its copy both come from line 58 of the base: one finding there.
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['serving/base/deployment.yaml:58']);
  });
});
