// The Octokit Warden runs with: Probot's, with throttle handlers that retry a bounded number of times.
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
