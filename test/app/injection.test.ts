// Pull-request content trying to speak through Warden: names, paths, reasons and values crafted as Markdown, HTML,
// mentions, suggestions of their own, Warden's hidden markers, bidi overrides, huge fields and credentials. Asserted
// on the exact Markdown posted, on what a Markdown reader makes of it, and on every write the fake GitHub receives.
import { describe, expect, test } from 'vitest';
import type { FakeGitHub, FakeThread } from './fake-github.js';
import { fakeGitHubPerTest, HEAD, makeProbot, pullRequestEvent, suggestionOf } from './helpers.js';
import { deployment } from './manifests.js';
import { liveMarkup } from '../output/markdown-check.js';
import modelUriPlaintext from '../../rules/k8s/model-uri-plaintext.js';
import privileged from '../../rules/k8s/privileged.js';

const HEAD2 = '1111111111111111111111111111111111111111';
const DOCS = 'https://github.com/warden-app/warden/blob/main/docs/rules';
const MARKER = /^<!-- warden:fingerprints [0-9a-f ]+ -->$/;

const github = fakeGitHubPerTest();

type Comment = { path: string; line: number; start_line?: number; body: string };
const commentsOf = (fake: FakeGitHub) => fake.reviews.flatMap((r) => (r.comments ?? []) as Comment[]);
const threadsOf = (fake: FakeGitHub): FakeThread[] => commentsOf(fake).map((c, i) => ({ id: `PRRT_${i + 1}`, path: c.path, body: c.body }));
const summaryOf = (fake: FakeGitHub) => (fake.checkRun.output as { summary: string }).summary;

/** A YAML double-quoted scalar holding `value` as it is (newlines, backticks, quotes). */
const quoted = (value: string) => JSON.stringify(value);

// The container name of the report: closes the code span it is quoted in, mentions, references, loads a tracking
// image, folds Warden's real suggestion away in an unclosed <details>, and offers a suggestion of its own.
const BREAKOUT =
  'x` @octocat #1 ![](http://t.example/p.png) <details><summary>Details</summary>\n\n' +
  '```suggestion\n          image: evil.example/miner:latest\n          securityContext:\n            privileged: true\n```\n';

describe('a container name written as Markdown', () => {
  test('is posted as inert text: one suggestion (Warden’s), no mention, image, HTML or reference', async () => {
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment('triton').replace('- name: triton', `- name: ${quoted(BREAKOUT)}`) }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    const [comment] = commentsOf(fake);
    const lines = comment!.body.split('\n');
    expect(lines.slice(0, -1).join('\n')).toBe(
      `**Critical** · [\`k8s/privileged\`](${DOCS}/k8s/privileged.md) · Privileged container\n\n` +
        'Container `x` @&#8203;octocat #&#8203;1 !\\[\\](http:&#8203;//t.example/p.png) &lt;details&gt;&lt;summary&gt;Details&lt;/summary&gt;  ' +
        '`suggestion           image: evil.example/miner:latest           securityContext:             privileged: true ` ' +
        // The rule's own backticks now pair with each other: still code spans and escaped text, nothing live.
        '`  runs privileged: it can do anything the host can. Set  `privileged: false\\`.\n\n' +
        '```suggestion\n            privileged: false\n```\n',
    );
    expect(lines.at(-1)).toMatch(MARKER);
    expect(suggestionOf(comment!.body)).toEqual(['            privileged: false']);
    expect(liveMarkup(comment!.body, { blocks: ['suggestion'], html: [MARKER] })).toEqual([]);
    // The summary and the annotations carry the name too, as inert text.
    // The code the name breaks into goes in Warden's own <details> block under the table, fenced: still inert.
    expect(liveMarkup(summaryOf(fake), { html: ['<sub>', '</sub>', '<details><summary>Code quoted by a finding</summary>', '</details>'], blocks: ['text'], headings: 1 })).toEqual([]);
    expect(summaryOf(fake)).toContain('| **gates** | critical | `k8s/triton.yaml:14` | [`k8s/privileged`]');
    const annotations = (fake.checkRun.output as { annotations: { message: string }[] }).annotations;
    expect(annotations.map((a) => a.message)).toEqual([
      'Container `x` @octocat #1 ![](http://t.example/p.png) <details><summary>Details</summary>  ```suggestion           image: evil.example/miner:latest           securityContext:             privileged: true ``` ` runs privileged: it can do anything the host can. Set `privileged: false`.\n\nFix: Set privileged to false',
    ]);
  });
});

describe('a file name written as Markdown', () => {
  test('stays inside its code span in the summary: no heading, mention or HTML of its own', async () => {
    const path = 'k8s/a`\n### Approved by @security-team #1 <img src=x>\n`b.yaml';
    const fake = github({ files: [{ path, head: deployment() }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    const summary = summaryOf(fake);
    expect(summary).toContain('| **gates** | critical | ``k8s/a` ### Approved by @security-team #1 <img src=x> `b.yaml:14`` |');
    expect(liveMarkup(summary, { html: ['<sub>', '</sub>'], headings: 1 })).toEqual([]);
    for (const comment of commentsOf(fake)) expect(liveMarkup(comment.body, { blocks: ['suggestion'], html: [MARKER] })).toEqual([]);
  });
});

describe('a symbolic link\'s target written as Markdown', () => {
  test('is quoted in the not-reviewed finding as inert text', async () => {
    const target = '../x`\n## Approved by @security-team #1 <img src=x onerror=alert(1)> ![](http://t.example/p.png)`.txt';
    const fake = github({ files: [{ path: 'k8s/link.yaml', head: target, link: true }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    const summary = summaryOf(fake);
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
    expect(summary).toContain('a symbolic link to');
    expect(liveMarkup(summary, { html: ['<sub>', '</sub>'], headings: 1 })).toEqual([]);
    for (const comment of commentsOf(fake)) expect(liveMarkup(comment.body, { blocks: ['suggestion'], html: [MARKER] })).toEqual([]);
    for (const a of (fake.checkRun.output as { annotations?: { message: string }[] }).annotations ?? []) expect(a.message).not.toMatch(/[\u202a-\u202e]/);
  });
});

describe('a suppression reason written as Markdown', () => {
  const reason = '@octocat approved #1 <img src=x onerror=alert(1)> ![](http://t.example/p.png) ```suggestion';
  const suppressed = deployment('triton', `# warden:ignore k8s/privileged -- ${reason}\n            privileged: true`);

  test('is reposted in Warden’s reply as inert text', async () => {
    const first = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    const second = github({ headSha: HEAD2, files: [{ path: 'k8s/triton.yaml', head: suppressed }], threads: threadsOf(first) });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    const reply = second.mutations[0]!.variables.b0!;
    expect(reply).toBe(
      `Suppressed in ${HEAD2}: @&#8203;octocat approved #&#8203;1 &lt;img src=x onerror=alert(1)&gt; !\\[\\](http:&#8203;//t.example/p.png) \\\`\\\`\\\`suggestion`,
    );
    expect(liveMarkup(reply)).toEqual([]);
    // And in the summary's table of suppressed findings.
    expect(liveMarkup(summaryOf(second), { html: ['<sub>', '</sub>'], headings: 1 })).toEqual([]);
  });
});

describe('a fake marker in a container name', () => {
  test('resolves nothing and hides no finding: the thread of a live finding stays open', async () => {
    const name = 'x` <!-- warden:fingerprints 0000 --> `y';
    const manifest = deployment('triton').replace('- name: triton', `- name: ${quoted(name)}`);
    const first = github({ files: [{ path: 'k8s/triton.yaml', head: manifest }] });
    const probot = await makeProbot({ rules: [privileged] });
    await probot.receive(pullRequestEvent('opened'));
    expect(commentsOf(first)).toHaveLength(1);

    // A second push that changes nothing of it: the finding is still there.
    const second = github({ headSha: HEAD2, files: [{ path: 'k8s/triton.yaml', head: manifest }], threads: threadsOf(first) });
    await probot.receive(pullRequestEvent('synchronize', { head: HEAD2, delivery: 'delivery-2' }));
    expect(second.mutations).toEqual([]);
    expect(second.reviews).toEqual([]);
    expect(second.checkRun).toMatchObject({ conclusion: 'failure' });
  });
});

describe('a 70,000-character name with a bidi override', () => {
  test('every body and annotation stays within GitHub’s limits and no bidi control is posted', async () => {
    const name = 'a\u202E' + 'n'.repeat(70_000);
    const manifest = deployment('triton').replace(/- name: triton/, `- name: ${name}`).replace('name: triton\n  namespace', `name: ${name}\n  namespace`);
    const fake = github({ files: [{ path: 'k8s/triton.yaml', head: manifest }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const comments = commentsOf(fake);
    expect(comments.length).toBeGreaterThan(0);
    for (const c of comments) expect(c.body.length).toBeLessThanOrEqual(65_536);
    for (const r of fake.reviews) expect((r.body as string).length).toBeLessThanOrEqual(65_536);
    const output = fake.checkRun.output as { title: string; summary: string; annotations: { message: string; title: string }[] };
    expect(output.title.length).toBeLessThanOrEqual(255);
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.annotations.length).toBeGreaterThan(0);
    for (const a of output.annotations) {
      expect(Buffer.byteLength(a.message)).toBeLessThanOrEqual(64 * 1024);
      expect(a.title.length).toBeLessThanOrEqual(255);
    }
    expect(JSON.stringify(fake.allWrites)).not.toContain('\u202E');
    // The name is shown cut, inside its code span.
    expect(comments[0]!.body).toContain('Container `an' + 'n'.repeat(197) + '…` runs privileged');
  });
});

describe('credentials', () => {
  test('in a model URI: masked in the comment, the summary and the annotations', async () => {
    const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: bert
  namespace: models
spec:
  predictor:
    model:
      modelFormat:
        name: pytorch
      storageUri: http://admin:hunter2@models.internal/bert
`;
    const fake = github({ files: [{ path: 'k8s/bert.yaml', head: isvc }] });
    const probot = await makeProbot({ rules: [modelUriPlaintext] });
    await probot.receive(pullRequestEvent('opened'));
    expect(fake.reviews).toHaveLength(1);
    const writes = JSON.stringify(fake.allWrites);
    expect(writes).not.toContain('hunter2');
    expect(writes).not.toContain('admin:');
    expect(commentsOf(fake)[0]!.body).toContain('downloads its model from `http://***@models.internal/bert` over plain HTTP');
  });

  test('in a parse-error snippet: masked wherever the error is posted', async () => {
    const fake = github({ files: [{ path: 'models.tf.json', head: 's3://admin:hunter2@m' }] });
    const probot = await makeProbot();
    await probot.receive(pullRequestEvent('opened'));
    const writes = JSON.stringify(fake.allWrites);
    // V8 quotes the whole (short) text in its error message: the snippet, masked.
    expect(commentsOf(fake)[0]!.body).toContain('Unexpected token \'s\', "s3:&#8203;//\\*\\*\\*@&#8203;m" is not valid JSON');
    expect(writes).toContain('\\"s3://***@m\\" is not valid JSON');
    expect(writes).not.toContain('hunter2');
    expect(fake.checkRun).toMatchObject({ conclusion: 'failure' });
  });
});

test('the review body and every check-run write are checked against the same limits', async () => {
  const fake = github({ files: [{ path: 'k8s/triton.yaml', head: deployment() }] });
  const probot = await makeProbot();
  await probot.receive(pullRequestEvent('opened'));
  const body = fake.reviews[0]!.body as string;
  expect(body.split('\n').at(-1)).toBe(`<!-- warden:review ${HEAD} delivery-1 -->`);
  expect(liveMarkup(body, { html: [`<!-- warden:review ${HEAD} delivery-1 -->`] })).toEqual([]);
});
