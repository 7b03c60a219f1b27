// The App on a pull request that changes only a chart's values.yaml: the chart is read from the head tree,
// rendered, and the privileged value gets an inline comment on its values line with a suggestion; the check fails.
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
  // Every comment sits on values.yaml: the only file the pull request changed.
  expect(comments.every((c) => c.path === `${DIR}/values.yaml`)).toBe(true);
});
