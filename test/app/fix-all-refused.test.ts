// Fix all when a file's proven fixes would not parse together: that file is left out of the commit, and the
// `Warden Fix all` run says why of each finding it leaves there (not "could not be proven": each fix was).
import nock from 'nock';
import { afterEach, expect, test, vi } from 'vitest';
import { buildRepositoryIndex } from '../../src/engine/repository-index.js';
import { RULES } from '../../rules/index.js';
import { FakeGitData, requestedActionEvent } from './fake-git-data.js';
import { fakeState, makeProbot, serveWithNock } from './helpers.js';
import { SERVING } from '../fix/manifests.js';
import { BROKEN } from '../fix/unparseable-together.js';

vi.mock('../../src/fixes.js', async (importOriginal) => (await import('../fix/unparseable-together.js')).withUnclosedEdit(await importOriginal()));

let fake: FakeGitData;

afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

test('commits the other files and says the refused file was left as it was', async () => {
  const other = SERVING.replaceAll('models', 'scoring');
  fake = new FakeGitData(fakeState({ files: [{ path: 'k8s/serving.yaml', head: other }, { path: BROKEN, head: SERVING }], config: 'fix_all: true\n' }));
  serveWithNock(fake);
  const app = await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
  await app.receive(requestedActionEvent());

  expect(fake.commits).toHaveLength(1);
  const changed = fake.trees.get(fake.commits[0]!.tree)!.entries.map((e) => e.path);
  expect(changed).toContain('k8s/serving.yaml');
  expect(changed).not.toContain(BROKEN);
  const run = fake.fixAllChecks.filter((b) => b.status === 'completed').at(-1) as { output: { summary: string } };
  const left = run.output.summary.split('\n').filter((line) => line.includes(BROKEN));
  expect(left.some((line) => line.includes('its file was left as it was: its proven fixes would not parse together'))).toBe(true);
  expect(left.some((line) => line.includes('could not be proven'))).toBe(false);
});
