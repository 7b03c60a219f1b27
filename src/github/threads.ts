// Warden's earlier review threads on a pull request (GraphQL: REST has no thread ids and cannot resolve), and
// answering those whose findings are gone: a "fixed in <sha>" reply and `resolveReviewThread`, all in one request.
import type { GitHub } from './octokit.js';
import { parseFingerprints } from './markers.js';
import type { PullRef } from './pull-request.js';

export interface WardenThread {
  id: string;
  isResolved: boolean;
  path: string;
  /** Fingerprints named by the thread's first comment (Warden's). */
  fingerprints: string[];
}

/** Pages of 100 threads read at most (10,000 threads): bounded work on a pathological pull request. */
const MAX_THREAD_PAGES = 100;

export const THREADS_QUERY = `query WardenThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          path
          comments(first: 1) { nodes { body viewerDidAuthor } }
        }
      }
    }
  }
}`;

interface ThreadsResponse {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; isResolved: boolean; path: string; comments: { nodes: { body: string; viewerDidAuthor: boolean }[] } }[];
      };
    } | null;
  } | null;
}

/** Threads started by this App (the viewer) that carry a fingerprint marker. */
export async function listWardenThreads(octokit: GitHub, pull: Pick<PullRef, 'owner' | 'repo' | 'number'>): Promise<WardenThread[]> {
  const threads: WardenThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const data: ThreadsResponse = await octokit.graphql<ThreadsResponse>(THREADS_QUERY, { owner: pull.owner, repo: pull.repo, number: pull.number, cursor });
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) {
      const first = node.comments.nodes[0];
      // Only the App's own comments count: a marker pasted by someone else must not steer Warden.
      if (!first?.viewerDidAuthor) continue;
      const fingerprints = parseFingerprints(first.body);
      if (fingerprints.length > 0) threads.push({ id: node.id, isResolved: node.isResolved, path: node.path, fingerprints });
    }
    if (!connection.pageInfo.hasNextPage) break;
    cursor = connection.pageInfo.endCursor;
  }
  return threads;
}

export interface ThreadAnswer {
  threadId: string;
  body: string;
}

/** GraphQL documents carry each reply and resolution as an aliased mutation; this many threads per request. */
const THREADS_PER_MUTATION = 25;

export function resolveMutation(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$t${i}: ID!, $b${i}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `  reply${i}: addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $t${i}, body: $b${i} }) { comment { id } }\n` +
      `  resolve${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id isResolved } }`,
  ).join('\n');
  return `mutation WardenResolve(${variables}) {\n${fields}\n}`;
}

/** Reply to each thread and resolve it: one GraphQL request per 25 threads, never one per finding. */
export async function answerAndResolve(octokit: GitHub, answers: readonly ThreadAnswer[]): Promise<void> {
  for (let i = 0; i < answers.length; i += THREADS_PER_MUTATION) {
    const batch = answers.slice(i, i + THREADS_PER_MUTATION);
    const variables: Record<string, string> = {};
    batch.forEach((a, j) => {
      variables[`t${j}`] = a.threadId;
      variables[`b${j}`] = a.body;
    });
    await octokit.graphql(resolveMutation(batch.length), variables);
  }
}
