// The Octokit Warden runs with: Probot's, with throttle handlers that retry a bounded number of times.
import { graphql } from '@octokit/graphql';
import { ProbotOctokit } from 'probot';

/** An authenticated Octokit as Probot hands it to a handler. */
export type GitHub = InstanceType<typeof ProbotOctokit>;

/** How many times a rate-limited request is retried before it fails (then the run completes with the reason). */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** Longest wait Warden accepts before a retry; a longer `retry-after` fails the request instead of hanging a run. */
export const MAX_RETRY_AFTER_SECONDS = 120;

interface ThrottledRequest {
  method: string;
  url: string;
  request: { retryCount: number };
}
interface Logged {
  log: { warn(message: string): void };
}

function retryBounded(kind: string) {
  return (retryAfter: number, options: ThrottledRequest, octokit: Logged): boolean => {
    const retry = options.request.retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS;
    octokit.log.warn(`${kind} rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return retry;
  };
}

/**
 * Probot 14.3 sets `onSecondaryRateLimit` to log without retrying. The function form of `defaults` runs after
 * Probot's own (the object form is overwritten), so these handlers win while Probot keeps the plugin, its
 * Bottleneck limits and, with REDIS_URL, the shared cluster state.
 */
export const WardenOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options.throttle as object | undefined),
    onRateLimit: retryBounded('primary'),
    onSecondaryRateLimit: retryBounded('secondary'),
  },
})) as typeof ProbotOctokit;

/** A GraphQL query that only reads. */
export type ReadQuery = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

type AuthHook = Parameters<typeof graphql.defaults>[0] extends { request?: { hook?: infer H } } ? H : never;

/**
 * GraphQL queries that only read, sent with the Octokit's own authentication and base URL but past its
 * throttling plugin, which spaces every GraphQL request a second apart as if it were a mutation (30 blob queries
 * would take 30 s). GitHub asks that spacing of content-creating requests; Warden's mutations still go through
 * `octokit.graphql`. No retries here: a failed blob query falls back to REST reads, which have them.
 */
export function readQueries(octokit: GitHub): ReadQuery {
  const hook = (octokit.auth as { hook?: AuthHook } | undefined)?.hook;
  // An Octokit without an auth strategy (a test's stand-in) has no hook to lend: its own graphql then.
  if (!hook) return octokit.graphql as ReadQuery;
  return graphql.defaults({ baseUrl: octokit.request.endpoint.DEFAULTS.baseUrl, request: { hook } }) as ReadQuery;
}
