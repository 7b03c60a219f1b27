// Issue #12, parts 1 and 2: comments sit where the change is (a removal is commented on the hunk that removed the
// setting, with a suggestion that puts it back where it was), and one place gets one thread.
import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { patchLines } from '../../src/diff.js';
import { review } from '../../src/review.js';
import { RULES, RULE_IDS } from '../../rules/index.js';
import networkPolicyMissing from '../../rules/k8s/network-policy-missing.js';
import { buildRepositoryIndex } from '../../src/engine/repository-index.js';
import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { planReview } from '../../src/github/comments.js';
import privileged from '../../rules/k8s/privileged.js';
import { deployment } from './manifests.js';
import { FakeGitHub, githubPatch } from './fake-github.js';
import { applyPostedSuggestion, fakeState, makeProbot, pullRequestEvent, serveWithNock, suggestionOf } from './helpers.js';

let fake: FakeGitHub;
function github(state: Parameters<typeof fakeState>[0]) {
  fake = new FakeGitHub(fakeState(state));
  serveWithNock(fake);
  return fake;
}

afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

type Posted = { path: string; line: number; start_line?: number; body: string };
const fingerprintsOf = (body: string) => /warden:fingerprints ([0-9a-f ]+) -->/.exec(body)![1]!.split(' ');

// "Expose TF Serving to the partner demo": the pod's runAsNonRoot/runAsUser and the container's whole
// securityContext are deleted; the container's first line (where its findings sit) is far from both hunks.
const PATH = 'serving/tf-serving.yaml';
const POD_CONTEXT = '      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n';
const CONTAINER_CONTEXT = '          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: ["ALL"]\n';
function tfServing(pod: string, container: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tf-serving
  namespace: partner-demo
  labels:
    app: tf-serving
spec:
  replicas: 2
  selector:
    matchLabels:
      app: tf-serving
  template:
    metadata:
      labels:
        app: tf-serving
    spec:
      automountServiceAccountToken: false
${pod}        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: tf-serving
          image: registry.example.com/tensorflow/serving@sha256:${'a'.repeat(64)}
          args:
            - --model_config_file=/models/models.config
            - --rest_api_port=8501
          ports:
            - containerPort: 8501
              name: http
          resources:
            requests:
              cpu: "1"
              memory: 2Gi
            limits:
              cpu: "2"
              memory: 2Gi
          readinessProbe:
            httpGet:
              path: /v1/models/demo
              port: 8501
          livenessProbe:
            httpGet:
              path: /v1/models/demo
              port: 8501
${container}          volumeMounts:
            - name: models
              mountPath: /models
              readOnly: true
      volumes:
        - name: models
          emptyDir: {}
`;
}
const BASE = tfServing(POD_CONTEXT, CONTAINER_CONTEXT);
const HEAD = tfServing('      securityContext:\n', '');

describe('a pull request that removes protections', () => {
  test('gets inline comments for its high findings on the hunks that removed them, with suggestions that put them back', async () => {
    // The base is clean under the real rules: every finding at head is the pull request's.
    const before = await review({ files: [{ path: PATH, headText: BASE }], config: DEFAULT_CONFIG, rules: RULES });
    expect(before.findings.map((f) => f.ruleId)).toEqual([]);
    github({ files: [{ path: PATH, base: BASE, head: HEAD }] });
    const probot = await makeProbot({ rules: RULES });
    await probot.receive(pullRequestEvent('opened'));

    const offline = await review({ files: [{ path: PATH, headText: HEAD }], config: DEFAULT_CONFIG, rules: RULES });
    const high = offline.findings.filter((f) => f.ruleId === 'k8s/run-as-non-root' || f.ruleId === 'k8s/allow-privilege-escalation');
    expect(high.map((f) => [f.ruleId, f.severity]).sort()).toEqual([
      ['k8s/allow-privilege-escalation', 'high'],
      ['k8s/run-as-non-root', 'high'],
    ]);
    // Their own line (the container's first) is outside the diff: before issue #12 they were in the check run only.
    const lines = patchLines(githubPatch(BASE, HEAD));
    for (const f of high) expect(lines.commentable.has(f.line)).toBe(false);

    const comments = fake.reviews[0]!.comments as Posted[];
    // The hunks that removed lines: every comment carrying a high finding sits inside one.
    const removing = lines.hunks.filter((h) => lines.removals.some((r) => h.start <= r.after && r.after <= h.end));
    expect(removing).toHaveLength(2);
    for (const f of high) {
      const comment = comments.find((c) => fingerprintsOf(c.body).includes(f.fingerprint));
      expect(comment, f.ruleId).toBeDefined();
      const start = comment!.start_line ?? comment!.line;
      expect(removing.some((h) => h.start <= start && comment!.line <= h.end)).toBe(true);
      // A suggestion that, applied as GitHub applies it, parses and clears every finding of its comment.
      expect(suggestionOf(comment!.body)).not.toBeNull();
      const after = applyPostedSuggestion(HEAD, comment!);
      const rescan = await review({ files: [{ path: PATH, headText: after }], config: DEFAULT_CONFIG, rules: RULES });
      expect(rescan.scan.files[0]!.errors).toEqual([]);
      const remaining = new Set(rescan.findings.map((x) => x.fingerprint));
      for (const fp of fingerprintsOf(comment!.body)) expect(remaining.has(fp)).toBe(false);
    }
    // The container's settings come back where they were removed: between the liveness probe and the volume mounts.
    const restoring = comments.find((c) => fingerprintsOf(c.body).includes(high.find((f) => f.ruleId === 'k8s/allow-privilege-escalation')!.fingerprint))!;
    const restored = applyPostedSuggestion(HEAD, restoring).split('\n');
    const at = restored.indexOf('          securityContext:');
    expect(restored.slice(at - 1, at + 3)).toEqual(['              port: 8501', '          securityContext:', '            allowPrivilegeEscalation: false', expect.stringMatching(/^ {12}\S/)]);
    expect(restored.slice(at).find((l) => /^ {10}\S/.test(l) && l !== '          securityContext:')).toBe('          volumeMounts:');
    // Nothing of the pull request's findings is left to the check run alone.
    expect(fake.reviews[0]!.body).not.toContain('cannot take a comment');
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  });
});

describe('one thread per place', () => {
  test('an image line with registry and tag findings gets one comment, worst first', async () => {
    const head = tfServing(POD_CONTEXT, CONTAINER_CONTEXT).replace(/image: .*/, 'image: docker.io/tensorflow/serving:latest');
    github({ files: [{ path: PATH, base: BASE, head }], config: 'images:\n  allowed_registries: ["registry.example.com/"]\n' });
    const probot = await makeProbot({ rules: RULES });
    await probot.receive(pullRequestEvent('opened'));
    const comments = fake.reviews[0]!.comments as Posted[];
    const imageLine = head.split('\n').findIndex((l) => l.includes('image: docker.io')) + 1;
    const config = resolveConfig({ images: { allowed_registries: ['registry.example.com/'] } }, RULE_IDS);
    const offline = await review({ files: [{ path: PATH, headText: head, baseText: BASE, patch: githubPatch(BASE, head) }], config, rules: RULES });
    const onImage = offline.findings.filter((f) => f.line === imageLine && !f.preExisting);
    expect(onImage.map((f) => f.ruleId).sort()).toEqual(['k8s/image-registry-allowed', 'k8s/image-tag-pinned']);
    // One comment carries them all; no other comment sits on that line.
    expect(comments.filter((c) => c.line === imageLine)).toHaveLength(1);
    const [comment] = comments.filter((c) => c.line === imageLine);
    expect(fingerprintsOf(comment!.body).sort()).toEqual(onImage.map((f) => f.fingerprint).sort());
    const order = onImage.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1)).map((f) => comment!.body.indexOf(f.ruleId));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('a mutable tag is one finding (the digest advice in it), not two', async () => {
    const result = await review({ files: [{ path: PATH, headText: HEAD.replace(/image: .*/, 'image: tensorflow/serving:latest') }], config: DEFAULT_CONFIG, rules: RULES });
    const image = result.findings.filter((f) => f.ruleId.startsWith('k8s/image-'));
    expect(image.map((f) => f.ruleId)).toEqual(['k8s/image-tag-pinned']);
    expect(image[0]!.message).toContain('@sha256:');
  });
});

describe('a namespace fact is stated once', () => {
  const workload = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-${String(i).padStart(2, '0')}
  namespace: ml
spec:
  template:
    spec:
      containers:
        - name: server
          image: registry.example.com/server:1.0
`;

  test('30 workloads in a namespace without a default-deny NetworkPolicy get one comment, naming them; the gate holds', async () => {
    const files = Array.from({ length: 30 }, (_, i) => ({ path: `k8s/model-${String(i).padStart(2, '0')}.yaml`, head: workload(i) }));
    github({ files, config: 'gate: medium\n' });
    const probot = await makeProbot({ rules: [networkPolicyMissing], buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
    await probot.receive(pullRequestEvent('opened'));

    const comments = fake.reviews[0]!.comments as Posted[];
    expect(comments).toHaveLength(1);
    const [comment] = comments;
    expect(comment).toMatchObject({ path: 'k8s/model-00.yaml', line: 5 });
    expect(comment!.body).toContain('Deployment `model-00` is deployed to `ml`');
    expect(comment!.body).toContain('The same holds for every workload reviewed here that runs in `ml` (30): `Deployment/model-00`, `Deployment/model-01`');
    expect(comment!.body).toContain('`Deployment/model-09`, and 20 more.');
    // Its marker states all 30 workloads' findings, so a later push does not post them again.
    expect(fingerprintsOf(comment!.body)).toHaveLength(30);
    // One finding in the check run, and it gates (gate: medium) as each of the 30 would.
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure', output: { title: '1 finding at or above medium' } });
  });

  test('a later push that adds a workload to the namespace posts nothing new and resolves nothing', async () => {
    const files = Array.from({ length: 3 }, (_, i) => ({ path: `k8s/model-${String(i).padStart(2, '0')}.yaml`, head: workload(i) }));
    const rules = [networkPolicyMissing];
    const index = (reader: Parameters<typeof buildRepositoryIndex>[0], config: Parameters<typeof buildRepositoryIndex>[1]) => buildRepositoryIndex(reader, config);
    github({ files });
    let probot = await makeProbot({ rules, buildRepositoryIndex: index });
    await probot.receive(pullRequestEvent('opened'));
    const first = (fake.reviews[0]!.comments as Posted[])[0]!;
    expect(fingerprintsOf(first.body)).toHaveLength(3);

    // The next push adds a workload that sorts first: the finding now sits on it, and states the others.
    nock.cleanAll();
    const head2 = 'a'.repeat(40);
    github({ headSha: head2, files: [{ path: 'k8s/a-first.yaml', head: workload(99) }, ...files], threads: [{ id: 'PRRT_1', path: first.path, body: first.body }] });
    probot = await makeProbot({ rules, buildRepositoryIndex: index });
    await probot.receive(pullRequestEvent('synchronize', { head: head2, delivery: 'delivery-2' }));
    expect(fake.reviews).toEqual([]);
    expect(fake.mutations).toEqual([]);
    expect(fake.checkRun).toMatchObject({ head_sha: head2, status: 'completed' });
  });
});

describe('one thread per place, in the planner', () => {
  // A rule with no fix that speaks about the same line as k8s/privileged's fix.
  const note = defineRule({
    id: 'test/privileged-note',
    severity: 'low',
    title: 'Privileged flag noted',
    docs: { why: 'test rule', fix: 'test fix' },
    references: {},
    fixable: false,
    scope: 'container',
    messages: { note: 'Container `{{name}}` sets `privileged`.' },
    check: (target, ctx) => {
      if (getIn(target.node, ['securityContext', 'privileged']) !== undefined) ctx.report({ message: 'note', at: 'securityContext.privileged', data: { name: target.container.name } });
    },
  });
  const rules = [privileged, note];

  async function plan(config = DEFAULT_CONFIG) {
    fake = new FakeGitHub(fakeState()); // nothing is served: the planner alone
    const head = deployment();
    const result = await review({ files: [{ path: 'k8s/triton.yaml', headText: head, patch: githubPatch('', head) }], config, rules });
    return planReview({ findings: result.findings, patches: result.patches, files: result.scan.files, config, rules, alreadyCommented: new Set() });
  }

  test('a finding without a fix on the line of another’s suggestion joins its comment; the suggestion says what it fixes', async () => {
    const { comments, overflow, checkRunOnly } = await plan();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.findings.map((f) => f.ruleId)).toEqual(['k8s/privileged', 'test/privileged-note']);
    expect(comments[0]!.kind).toBe('suggestion');
    expect(comments[0]!.body).toContain('This change fixes `k8s/privileged`:\n\n```suggestion\n            privileged: false\n```');
    expect([...overflow, ...checkRunOnly]).toEqual([]);
  });

  test('past the comment cap, a group whose place already has a comment joins it rather than overflowing', async () => {
    const { comments, overflow } = await plan(resolveConfig({ review: { max_comments: 1 } }));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.fingerprints).toHaveLength(2);
    expect(overflow).toEqual([]);
  });
});

describe('a finding with no fix, whose setting was removed', () => {
  const escalation = defineRule({
    id: 'test/escalation-note',
    severity: 'high',
    title: 'Escalation not disabled',
    docs: { why: 'test rule', fix: 'test fix' },
    references: {},
    fixable: false,
    scope: 'container',
    messages: { note: 'Container `{{name}}` does not set `allowPrivilegeEscalation: false`.' },
    check: (target, ctx) => {
      if (getIn(target.node, ['securityContext', 'allowPrivilegeEscalation']) !== false) ctx.report({ message: 'note', at: 'securityContext.allowPrivilegeEscalation', data: { name: target.container.name } });
    },
  });

  test('is commented on the hunk that removed it, not on the nearer hunk that removed something else', async () => {
    fake = new FakeGitHub(fakeState());
    const patch = githubPatch(BASE, HEAD);
    const result = await review({ files: [{ path: PATH, headText: HEAD, baseText: BASE, patch }], config: DEFAULT_CONFIG, rules: [escalation] });
    const [finding] = result.findings;
    const lines = patchLines(patch);
    const [podHunk, containerHunk] = lines.hunks;
    // The pod's removal is nearer to the container's first line, where the finding sits, than the container's is.
    expect(finding!.line - podHunk!.end).toBeLessThan(containerHunk!.start - finding!.line);
    const plan = await planReview({ findings: result.findings, patches: result.patches, files: result.scan.files, config: DEFAULT_CONFIG, rules: [escalation], alreadyCommented: new Set() });
    expect(plan.comments).toHaveLength(1);
    const { line, kind } = plan.comments[0]!;
    expect(kind).toBe('text');
    // At the removal: the line above the removed `securityContext:` (the liveness probe's last line).
    expect(line).toBe(lines.removals[1]!.after);
    expect(line >= containerHunk!.start && line <= containerHunk!.end).toBe(true);
  });
});
