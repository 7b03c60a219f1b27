// The App reads Kubernetes manifests in JSON as the command line does: a changed one is reviewed and its suggestion
// keeps the file JSON; other JSON in the pull request (package.json, a dashboard) is skipped quietly.
import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { applyPostedSuggestion, fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const POD = `${JSON.stringify(
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'models' }, spec: { containers: [{ name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true } }] } },
  null,
  2,
)}\n`;

describe('a pull request that adds a JSON manifest', () => {
  test('gets a comment whose suggestion, applied as GitHub applies it, is JSON and clears the findings; other JSON is not mentioned', async () => {
    fake = new FakeGitHub(
      fakeState({
        files: [
          { path: 'k8s/pod.json', head: POD },
          { path: 'ui/package.json', head: '{ "name": "ui", "version": "1.0.0" }\n' },
          { path: 'dashboards/gpu.json', head: '{ "title": "GPU", "panels": [] }\n' },
        ],
      }),
    );
    serveWithNock(fake);
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));

    const comments = fake.reviews.flatMap((r) => (r.comments ?? []) as { path: string; line: number; start_line?: number; body: string }[]);
    expect(comments.map((c) => c.path)).toEqual(['k8s/pod.json']);
    const comment = comments[0]!;
    expect(comment.body).toContain('`k8s/privileged`');
    const fixed = applyPostedSuggestion(POD, comment);
    const pod = JSON.parse(fixed) as { spec: { containers: { securityContext: Record<string, unknown> }[] } };
    expect(pod.spec.containers[0]!.securityContext).toMatchObject({ privileged: false, runAsNonRoot: true, allowPrivilegeEscalation: false });

    const summary = (fake.checkRun.output as { summary: string }).summary;
    expect(summary).toContain('k8s/pod.json');
    expect(summary).not.toContain('package.json');
    expect(summary).not.toContain('gpu.json');
  });
});
