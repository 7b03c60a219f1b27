// What Fix all writes from pull-request content goes through the escaping layer: a file name cannot forge a commit
// trailer, hide text with bidi controls, mention someone in the summary or show a secret.
import nock from 'nock';
import { afterEach, describe, expect, test } from 'vitest';
import { buildRepositoryIndex } from '../../src/engine/repository-index.js';
import { RULES } from '../../rules/index.js';
import { FakeGitData, requestedActionEvent } from './fake-git-data.js';
import { fakeState, makeProbot, serveWithNock } from './helpers.js';
import { SERVING } from '../fix/manifests.js';

let fake: FakeGitData;
afterEach(() => {
  expect(fake.schemaErrors).toEqual([]);
  expect(fake.unexpected).toEqual([]);
  nock.cleanAll();
});

// A legal git path: a line break that would start a trailer, a right-to-left override, a mention and a token.
const HOSTILE = 'k8s/serving\nCo-authored-by: Mallory <mallory@example.com>\u202e@octocat ghp_0123456789abcdefghijklmnopqrstuvwxyzAB.yaml';

describe('a Fix all on a file with a hostile name', () => {
  test('commits with a message and completes a run whose summary hold the name as inert text', async () => {
    fake = new FakeGitData({ ...fakeState({ files: [{ path: HOSTILE, head: SERVING }], config: 'fix_all: true\n' }) });
    serveWithNock(fake);
    const app = await makeProbot({ rules: RULES, buildRepositoryIndex: (reader, config) => buildRepositoryIndex(reader, config) });
    await app.receive(requestedActionEvent());

    expect(fake.commits).toHaveLength(1);
    const message = fake.commits[0]!.message;
    // The fix of the hostile file is named on one line, the name cut of its line break, override and token.
    const line = message.split('\n').find((l) => l.includes('Co-authored-by'));
    expect(line).toMatch(/^- k8s\/serving Co-authored-by: Mallory <mallory@example\.com>@octocat \*\*\*\.yaml \(Deployment\/models\/triton\): /);
    expect(message.split('\n').filter((l) => /^Co-authored-by:/i.test(l))).toEqual([]);
    expect(message).not.toContain('\u202e');
    expect(message).not.toContain('ghp_');

    const run = fake.fixAllChecks.filter((b) => b.status === 'completed').at(-1) as { output: { title: string; summary: string } };
    expect(run.output.summary).toContain('k8s/serving Co-authored-by: Mallory');
    expect(run.output.summary).not.toContain('\u202e');
    expect(run.output.summary).not.toContain('ghp_');
    // Outside code spans, a mention in a name is broken (a zero-width space after `@`), so it notifies nobody.
    expect(run.output.summary).toContain('@&#8203;octocat');
    expect(run.output.summary.replace(/`[^`\n]*`/g, '')).not.toMatch(/@octocat/);
  });
});
