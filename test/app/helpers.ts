// App test harness in the style of release-drafter's tests: a Probot with retry and throttle off (the function
// form of ProbotOctokit.defaults: the object form is overwritten by Probot), nock in front of a FakeGitHub,
// and payloads from @octokit/webhooks-examples that carry `installation`.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import nock from 'nock';
import { Probot, ProbotOctokit, type Context } from 'probot';
import { afterEach, expect } from 'vitest';
import { warden } from '../../src/index.js';
import type { RunOptions } from '../../src/github/run.js';
import { FakeGitHub, type FakeState } from './fake-github.js';
import { TEST_RULES } from './rules.js';
import { sharedPool } from '../../src/worker/pool.js';
import { baseMark } from '../../src/github/markers.js';

export const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
export const NOW = new Date('2026-03-01T12:00:00Z');
export const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
/** How a check run names the base branch of the example payloads (`master`) it reviewed against (src/github/markers.ts). */
export const ON_MASTER = baseMark('master');
export const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

// The package's main is a JSON file: load it as such.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

/** What `probot.receive` takes: Probot's own event type. */
type WebhookEvent = Parameters<Probot['receive']>[0];

export async function makeProbot(options: RunOptions = {}): Promise<Probot> {
  // Parsing runs in worker threads: start them first, so no run's timing includes their start-up.
  await sharedPool().ready();
  const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' });
  await probot.load(warden({ rules: TEST_RULES, now: () => NOW, ...options }));
  return probot;
}

/** Serve a FakeGitHub through nock at api.github.com. */
export function serveWithNock(fake: FakeGitHub): void {
  const scope = nock('https://api.github.com').persist();
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
    scope.intercept(/.*/, method).reply(function (uri, body) {
      const reply = fake.handle(method, uri, typeof body === 'string' && body ? JSON.parse(body) : body);
      return [reply.status, reply.body as nock.Body, reply.headers ?? {}];
    });
  }
}

/**
 * A fresh FakeGitHub for each call, served through nock; after each test of the file that asks for it, every
 * request it saw must have matched GitHub's schemas and been one it expects.
 */
export function fakeGitHubPerTest(): (state: Partial<FakeState>) => FakeGitHub {
  let fakes: FakeGitHub[] = [];
  afterEach(() => {
    for (const fake of fakes) {
      expect(fake.schemaErrors).toEqual([]);
      expect(fake.unexpected).toEqual([]);
    }
    fakes = [];
    nock.cleanAll();
  });
  return (state) => {
    nock.cleanAll();
    const fake = new FakeGitHub(fakeState(state));
    fakes.push(fake);
    serveWithNock(fake);
    return fake;
  };
}

export function fakeState(overrides: Partial<FakeState> = {}): FakeState {
  return { owner: 'Codertocat', repo: 'Hello-World', number: 2, headSha: HEAD, baseSha: BASE, files: [], config: null, ...overrides };
}

/** The URLs GitHub gives the fake's repository in every event. */
const FAKE_REPOSITORY_URLS = {
  html_url: 'https://github.com/Codertocat/Hello-World',
  clone_url: 'https://github.com/Codertocat/Hello-World.git',
  ssh_url: 'git@github.com:Codertocat/Hello-World.git',
  git_url: 'git://github.com/Codertocat/Hello-World.git',
};

function example<T>(name: string, action: string): T {
  const definition = examples.find((d) => d.name === name);
  const found = definition?.examples.find((e) => e.action === action && e.installation);
  if (!found) throw new Error(`no ${name}.${action} example with installation`);
  return structuredClone(found) as T;
}

type PullRequestPayload = Context<'pull_request'>['payload'];
type CheckRunPayload = Context<'check_run.rerequested'>['payload'];

export function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'edited',
  options: {
    head?: string;
    base?: string;
    fork?: boolean;
    draft?: boolean;
    delivery?: string;
    changedFiles?: number;
    /** `edited`: what the edit changed, as GitHub says (`base: { ref: { from }, sha: { from } }` for a new base branch). */
    changes?: Record<string, unknown>;
  } = {},
): WebhookEvent {
  // Each action's example differs only in `action` for what Warden reads; `opened` carries `installation`.
  const payload = example<PullRequestPayload & { action: string }>('pull_request', 'opened');
  payload.action = action;
  payload.pull_request.head.sha = options.head ?? HEAD;
  payload.pull_request.base.sha = options.base ?? BASE;
  payload.pull_request.draft = options.draft ?? false;
  if (options.changedFiles !== undefined) payload.pull_request.changed_files = options.changedFiles;
  if (options.changes) (payload as { changes?: unknown }).changes = options.changes;
  if (options.fork) {
    const fork = payload.pull_request.head.repo!;
    fork.fork = true;
    fork.full_name = 'octocat/Hello-World';
    fork.name = 'Hello-World';
    fork.owner!.login = 'octocat';
    payload.pull_request.head.label = 'octocat:changes';
  }
  return { id: options.delivery ?? 'delivery-1', name: 'pull_request', payload } as WebhookEvent;
}

export function checkRunRerequestedEvent(options: { head?: string; delivery?: string; pulls?: number[] } = {}): WebhookEvent {
  const payload = example<CheckRunPayload>('check_run', 'rerequested');
  payload.check_run.name = 'Warden';
  payload.check_run.head_sha = options.head ?? HEAD;
  payload.repository.owner.login = 'Codertocat';
  payload.repository.name = 'Hello-World';
  payload.repository.full_name = 'Codertocat/Hello-World';
  Object.assign(payload.repository, FAKE_REPOSITORY_URLS);
  payload.check_run.pull_requests = (options.pulls ?? []).map((number) => ({ number, id: number, url: '', head: { ref: 'changes', sha: HEAD, repo: { id: 1, name: 'Hello-World', url: '' } }, base: { ref: 'main', sha: BASE, repo: { id: 1, name: 'Hello-World', url: '' } } }));
  return { id: options.delivery ?? 'delivery-rerun', name: 'check_run', payload } as WebhookEvent;
}

type MergeGroupPayload = Context<'merge_group.checks_requested'>['payload'];

/** A merge queue's `merge_group.checks_requested` for the fake's repository. */
export function mergeGroupEvent(options: { head: string; base?: string; delivery?: string }): WebhookEvent {
  const payload = example<MergeGroupPayload>('merge_group', 'checks_requested');
  payload.merge_group.head_sha = options.head;
  payload.merge_group.base_sha = options.base ?? BASE;
  payload.repository!.owner.login = 'Codertocat';
  payload.repository!.name = 'Hello-World';
  payload.repository!.full_name = 'Codertocat/Hello-World';
  Object.assign(payload.repository!, FAKE_REPOSITORY_URLS);
  return { id: options.delivery ?? 'delivery-merge-group', name: 'merge_group', payload } as WebhookEvent;
}

/** The lines of the ```suggestion block in a comment body (any fence length), or null. */
export function suggestionOf(body: string): string[] | null {
  const match = /^(`{3,})suggestion\n([\s\S]*?)\n?^\1$/m.exec(body);
  if (!match) return null;
  return match[2] === '' ? [] : match[2]!.split('\n');
}

/** Apply a posted suggestion as GitHub does: replace start_line..line with the block's lines. */
export function applyPostedSuggestion(text: string, comment: { line: number; start_line?: number; body: string }): string {
  const lines = text.split('\n');
  const start = comment.start_line ?? comment.line;
  const replacement = suggestionOf(comment.body);
  if (replacement === null) throw new Error('no suggestion in comment');
  lines.splice(start - 1, comment.line - start + 1, ...replacement);
  return lines.join('\n');
}

export { FakeGitHub };
