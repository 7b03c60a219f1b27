import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { review } from '../../src/review.js';
import { FakeGitHub, validateBody } from './fake-github.js';
import { applyPostedSuggestion, fakeState, HEAD, ON_MASTER, makeProbot, pullRequestEvent, serveWithNock, suggestionOf } from './helpers.js';
import { deployment, HARDENED, twoContainers } from './manifests.js';
import { TEST_RULES } from './rules.js';

let fake: FakeGitHub;
function github(state: Parameters<typeof fakeState>[0]) {
  fake = new FakeGitHub(fakeState(state));
  serveWithNock(fake);
  return fake;
}

afterEach(() => {
  // Every review and check-run body sent matched GitHub's (closed) request schema; no unknown endpoint was called.
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

const DOCS = 'https://github.com/warden-app/warden/blob/main/docs/rules';

describe('a pull request that adds a privileged Deployment', () => {
  test('gets one review with one merged, proven suggestion and one completed check run: exact bodies', async () => {
    github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }, { path: 'README.md', head: '# models\n' }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    // The fingerprints the engine gives these findings, computed apart from the App.
    const offline = await review({ files: [{ path: 'k8s/triton.yaml', headText: deployment() }], config: DEFAULT_CONFIG, rules: TEST_RULES });
    const fp = (ruleId: string) => offline.findings.find((f) => f.ruleId === ruleId)!.fingerprint;

    expect(fake.reviews).toEqual([
      {
        commit_id: HEAD,
        event: 'COMMENT',
        body:
          `Warden reviewed the Kubernetes and Terraform changes at ${HEAD}: 3 new findings, 2 at or above high; 1 inline comment below.\n\n` +
          'The `Warden` check run lists every finding, with the pre-existing and suppressed ones.\n' +
          `<!-- warden:review ${HEAD} delivery-1 -->`,
        comments: [
          {
            path: 'k8s/triton.yaml',
            line: 14,
            side: 'RIGHT',
            body:
              `**Critical** · [\`k8s/privileged\`](${DOCS}/k8s/privileged.md) · Privileged container\n\n` +
              'Container `triton` runs privileged: it can do anything the host can. Set `privileged: false`.\n\n' +
              `**High** · [\`test/run-as-non-root\`](${DOCS}/test/run-as-non-root.md) · Container may run as root\n\n` +
              'Container `triton` may run as root. Set `runAsNonRoot: true`.\n\n' +
              `**Medium** · [\`test/no-privilege-escalation\`](${DOCS}/test/no-privilege-escalation.md) · Privilege escalation allowed\n\n` +
              'Container `triton` allows privilege escalation. Set `allowPrivilegeEscalation: false`.\n\n' +
              'One change fixes all 3 of these:\n\n' +
              '```suggestion\n' +
              '            privileged: false\n' +
              '            runAsNonRoot: true\n' +
              '            allowPrivilegeEscalation: false\n' +
              '```\n\n' +
              `<!-- warden:fingerprints ${fp('k8s/privileged')} ${fp('test/run-as-non-root')} ${fp('test/no-privilege-escalation')} -->`,
          },
        ],
      },
    ]);

    // Before it writes to the pull request, a run claims it with its check run in progress (so that a copy of
    // the same webhook at another replica stands down), then completes that run with one update.
    expect(fake.checkRunCreates).toEqual([{ name: 'Warden', head_sha: HEAD, external_id: `warden:review:delivery-1@${ON_MASTER}`, status: 'in_progress', started_at: '2026-03-01T12:00:00Z' }]);
    expect(fake.checkRunUpdates).toEqual([
      {
        status: 'completed',
        conclusion: 'failure',
        completed_at: '2026-03-01T12:00:00Z',
        output: {
          title: '2 findings at or above high',
          summary: [
            'A new finding at or above **high** fails this check; pre-existing findings do not.',
            '',
            '| Severity | New | Pre-existing | Suppressed |',
            '|---|---:|---:|---:|',
            '| critical | 1 | 0 | 0 |',
            '| high | 1 | 0 | 0 |',
            '| medium | 1 | 0 | 0 |',
            '| low | 0 | 0 | 0 |',
            '',
            // What gates first, marked, then the rest, worst first (not by line).
            '### Findings (what fails this check first)',
            '',
            '| Gates | Severity | Where | Rule | Finding |',
            '|---|---|---|---|---|',
            `| **gates** | critical | \`k8s/triton.yaml:14\` | [\`k8s/privileged\`](${DOCS}/k8s/privileged.md) | Container \`triton\` runs privileged: it can do anything the host can. Set \`privileged: false\`. |`,
            `| **gates** | high | \`k8s/triton.yaml:13\` | [\`test/run-as-non-root\`](${DOCS}/test/run-as-non-root.md) | Container \`triton\` may run as root. Set \`runAsNonRoot: true\`. |`,
            `|  | medium | \`k8s/triton.yaml:13\` | [\`test/no-privilege-escalation\`](${DOCS}/test/no-privilege-escalation.md) | Container \`triton\` allows privilege escalation. Set \`allowPrivilegeEscalation: false\`. |`,
            '',
            '1 inline comment posted with this run.',
            '',
            '<sub>1 file, 1 resource reviewed</sub>',
          ].join('\n'),
          // Those that gate first (by severity), then the rest.
          annotations: [
            {
              path: 'k8s/triton.yaml',
              start_line: 14,
              end_line: 14,
              annotation_level: 'failure',
              message: 'Container `triton` runs privileged: it can do anything the host can. Set `privileged: false`.\n\nFix: Set privileged to false',
              title: 'k8s/privileged (critical): Privileged container',
            },
            {
              path: 'k8s/triton.yaml',
              start_line: 13,
              end_line: 13,
              annotation_level: 'failure',
              message: 'Container `triton` may run as root. Set `runAsNonRoot: true`.\n\nFix: Set runAsNonRoot to true',
              title: 'test/run-as-non-root (high): Container may run as root',
            },
            {
              path: 'k8s/triton.yaml',
              start_line: 13,
              end_line: 13,
              annotation_level: 'warning',
              message: 'Container `triton` allows privilege escalation. Set `allowPrivilegeEscalation: false`.\n\nFix: Set allowPrivilegeEscalation to false',
              title: 'test/no-privilege-escalation (medium): Privilege escalation allowed',
            },
          ],
        },
      },
    ]);
  });

  test('every posted suggestion, applied as GitHub applies it, leaves a file that parses and clears its findings', async () => {
    const base = twoContainers(HARDENED.split('\n')[0]!, 'privileged: false');
    const files = [
      { path: 'k8s/triton.yaml', head: deployment() },
      { path: 'k8s/llm.yaml', head: deployment('llm', 'privileged: true\n            runAsNonRoot: true') },
      // Modified: only the sidecar turns privileged; the first container was fine at base.
      { path: 'serving/two.yaml', base, head: twoContainers(HARDENED.split('\n')[0]!, 'privileged: true') },
    ];
    github({ files });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));

    const comments = fake.reviews[0]!.comments as { path: string; line: number; start_line?: number; body: string }[];
    // llm.yaml's two fixes touch different lines: two comments, each with its own suggestion.
    expect(comments.map((c) => `${c.path}:${c.start_line ?? ''}-${c.line}`)).toEqual(['k8s/llm.yaml:-14', 'k8s/llm.yaml:-15', 'k8s/triton.yaml:-14', 'serving/two.yaml:-19']);
    for (const comment of comments) {
      expect(suggestionOf(comment.body)).not.toBeNull();
      const head = files.find((f) => f.path === comment.path)!.head;
      const after = applyPostedSuggestion(head, comment);
      const rescan = await review({ files: [{ path: comment.path, headText: after }], config: DEFAULT_CONFIG, rules: TEST_RULES });
      expect(rescan.scan.files[0]!.errors).toEqual([]);
      const fingerprints = /warden:fingerprints ([0-9a-f ]+) -->/.exec(comment.body)![1]!.split(' ');
      const remaining = new Set(rescan.findings.map((f) => f.fingerprint));
      for (const fp of fingerprints) expect(remaining.has(fp)).toBe(false);
    }
    // Committed together (GitHub's batch), each file's suggestions leave nothing to find.
    for (const file of files) {
      let text = file.head;
      const mine = comments.filter((c) => c.path === file.path).sort((a, b) => b.line - a.line);
      for (const comment of mine) text = applyPostedSuggestion(text, comment);
      const rescan = await review({ files: [{ path: file.path, headText: text }], config: DEFAULT_CONFIG, rules: TEST_RULES });
      expect(rescan.findings.map((f) => f.ruleId)).toEqual([]);
    }
  });
});

describe('request bodies are checked against closed schemas', () => {
  test('a misspelt field fails validation (so the checks above can fail)', () => {
    expect(validateBody('pulls/create-review', { commit_id: HEAD, event: 'COMMENT', body: 'x', comments: [{ path: 'a', body: 'b', line: 1, sied: 'RIGHT' }] })).not.toEqual([]);
    expect(validateBody('checks/create', { name: 'Warden', head_sha: HEAD, status: 'done' })).not.toEqual([]);
    expect(validateBody('checks/update', { output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => ({ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' })) } })).not.toEqual([]);
    fake = new FakeGitHub(fakeState());
  });
});
