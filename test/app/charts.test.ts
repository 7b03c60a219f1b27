// The App on a Helm chart: findings on the template line of an object whose fix is written into values.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, expect, test } from 'vitest';
import { RULES } from '../../rules/index.js';
import { FakeGitHub } from './fake-github.js';
import { fakeState, makeProbot, pullRequestEvent, serveWithNock } from './helpers.js';

let fake: FakeGitHub;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

test('a chart whose fix is in values.yaml for a finding on the template line: the comment shows the lines it writes there, never as a suggestion or a diff of the template', async () => {
  const chart = 'test/fixtures/charts/model-server';
  const read = (rel: string) => readFileSync(join(chart, rel), 'utf8');
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
  const others = ['Chart.yaml', 'templates/_helpers.tpl', 'templates/service.yaml', 'templates/serviceaccount.yaml', 'templates/networkpolicy.yaml', 'templates/NOTES.txt', 'charts/exporter/Chart.yaml', 'charts/exporter/values.yaml', 'charts/exporter/templates/configmap.yaml', 'files/banner.txt', 'values-prod.yaml'];
  fake = new FakeGitHub(
    fakeState({
      files: [
        { path: 'charts/model-server/templates/deployment.yaml', base: template, head: headTemplate },
        { path: 'charts/model-server/values.yaml', base: values, head: headValues },
      ],
      unchanged: others.map((rel) => ({ path: `charts/model-server/${rel}`, text: read(rel) })),
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
