// The App on a chart: a pull request that changes only values.yaml (the chart read from the head tree, rendered, the
// privileged value commented on its values line with a suggestion; the check fails), and findings on a template
// line whose fix is in values.yaml (shown as the lines it writes there, never as a suggestion on the template).
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { readChartDir } from '../../src/render/chart-dir.js';
import { RULES } from '../../rules/index.js';
import { FakeGitHub, type FakeState } from '../app/fake-github.js';
import { applyPostedSuggestion, fakeState, makeProbot, pullRequestEvent, serveWithNock, suggestionOf } from '../app/helpers.js';

let fake: FakeGitHub | undefined;
afterEach(() => {
  if (fake) {
    expect(fake.schemaErrors).toEqual([]);
    expect(fake.unexpected).toEqual([]);
  }
  nock.cleanAll();
});

const FIXTURE = 'test/fixtures/charts/model-server';
const DIR = 'charts/model-server';

test('a pull request changing only values.yaml gets inline comments with suggestions there, and the check fails on the privileged value', async () => {
  const values = readFileSync(`${FIXTURE}/values.yaml`, 'utf8');
  const head = values.replace('  runAsUser: 1000\n', '  runAsUser: 1000\n  privileged: true\n');
  const unchanged = [...readChartDir(FIXTURE, DIR).files].filter(([rel]) => rel !== 'values.yaml').map(([rel, text]) => ({ path: `${DIR}/${rel}`, text }));
  const state: Partial<FakeState> = { files: [{ path: `${DIR}/values.yaml`, base: values, head }], unchanged };
  fake = new FakeGitHub(fakeState(state));
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));

  expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  expect(fake.reviews).toHaveLength(1);
  const comments = fake.reviews[0]!.comments as { path: string; line: number; start_line?: number; body: string }[];
  const privilegedLine = head.split('\n').findIndex((l) => l === '  privileged: true') + 1;
  const privileged = comments.find((c) => c.body.includes('k8s/privileged'));
  expect(privileged).toMatchObject({ path: `${DIR}/values.yaml`, line: privilegedLine });
  expect(suggestionOf(privileged!.body)).toEqual(['  privileged: false']);
  expect(applyPostedSuggestion(head, privileged!)).toBe(head.replace('  privileged: true\n', '  privileged: false\n'));
  // The chart's files are read in batches, not a blob query each (the index reads its YAML; the rest at once): the
  // review stays within its budget of 2·⌈files/100⌉ + 16 requests (a query a file took it to 25).
  expect(fake.blobQueries.length).toBeLessThanOrEqual(3);
  expect(fake.requests.length).toBeLessThanOrEqual(2 * Math.ceil(1 / 100) + 16);
  // Every comment sits on values.yaml: the only file the pull request changed.
  expect(comments.every((c) => c.path === `${DIR}/values.yaml`)).toBe(true);
});

test('a chart whose fix is in values.yaml for a finding on the template line: the comment shows the lines it writes there, never as a suggestion or a diff of the template', async () => {
  const read = (rel: string) => readFileSync(`${FIXTURE}/${rel}`, 'utf8');
  const template = read('templates/deployment.yaml');
  // The change touches the template's container lines, and lines near the top whose numbers the values file's edit
  // has too; and it drops the container's settings from values.yaml.
  const headTemplate = template
    .replace('          securityContext:\n', '          # hardened in values.yaml\n          securityContext:\n')
    .replace('      automountServiceAccountToken: false\n', '      # no API token\n      automountServiceAccountToken: false\n');
  const values = read('values.yaml');
  const headValues = values.replace('  allowPrivilegeEscalation: false\n  capabilities:\n    drop:\n      - ALL\n  readOnlyRootFilesystem: true\n', '');
  expect(headTemplate).not.toBe(template);
  expect(headValues).not.toBe(values);
  fake = new FakeGitHub(
    fakeState({
      files: [
        { path: 'charts/model-server/templates/deployment.yaml', base: template, head: headTemplate },
        { path: 'charts/model-server/values.yaml', base: values, head: headValues },
      ],
      unchanged: [...readChartDir(FIXTURE, DIR).files].filter(([rel]) => rel !== 'values.yaml' && rel !== 'templates/deployment.yaml').map(([rel, text]) => ({ path: `${DIR}/${rel}`, text })),
      config: 'rules:\n  k8s/gpu-namespace-quota: off\n  k8s/network-policy-missing: off\n',
    }),
  );
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES })).receive(pullRequestEvent('opened'));
  const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
  const onTemplate = comments.filter((c) => c.path === 'charts/model-server/templates/deployment.yaml');
  // No suggestion anywhere on the template: the values file's lines are not its lines.
  expect(comments.filter((c) => c.body.includes('```suggestion'))).toEqual([]);
  expect(onTemplate).toHaveLength(1);
  expect(onTemplate[0]!.body).toContain('k8s/allow-privilege-escalation');
  expect(onTemplate[0]!.body).not.toContain('```suggestion');
  // Not a diff of the template's lines: the lines the fix writes in values.yaml, named.
  expect(onTemplate[0]!.body).not.toContain('```diff');
  expect(onTemplate[0]!.body).toContain('The fix is in `charts/model-server/values.yaml`, which a suggestion on these lines cannot change: line');
  const block = /```text\n([\s\S]*?)\n```/.exec(onTemplate[0]!.body)?.[1];
  expect(block).toContain('allowPrivilegeEscalation: false');
  expect(block).toContain('readOnlyRootFilesystem: true');
  expect(block).not.toContain('{{');
});

test('a pull request changing only a chart helper (`_helpers.tpl`, a name Warden reviews only through its chart) is reviewed through the chart, and gates', async () => {
  const template = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: model\nspec:\n  containers:\n  - name: server\n    image: registry.example/model@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    securityContext:\n      privileged: {{ include "model.privileged" . }}\n';
  const helper = (value: boolean) => `{{- define "model.privileged" -}}${value}{{- end }}\n`;
  fake = new FakeGitHub(
    fakeState({
      files: [{ path: 'charts/model/templates/_helpers.tpl', base: helper(false), head: helper(true) }],
      unchanged: [
        { path: 'charts/model/Chart.yaml', text: 'apiVersion: v2\nname: model\nversion: 1.0.0\n' },
        { path: 'charts/model/values.yaml', text: '{}\n' },
        { path: 'charts/model/templates/pod.yaml', text: template },
      ],
    }),
  );
  serveWithNock(fake);
  await (await makeProbot({ rules: RULES.filter((rule) => rule.id === 'k8s/privileged') })).receive(pullRequestEvent('opened'));
  expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  const comments = fake.reviews[0]!.comments as { path: string; line: number; body: string }[];
  expect(comments.map((c) => [c.path, c.line, c.body.includes('k8s/privileged')])).toEqual([['charts/model/templates/_helpers.tpl', 1, true]]);
});
