// Long loops on the server's main thread give way to the event loop now and then, so that it keeps answering
// (health checks, other webhooks) while a pull request of thousands of files is read, planned and reported.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest a loop runs between two yields by default: well under the 100 ms a health check may wait. */
export const SLICE_MS = 10;

/** What `pacer` returns: awaited in each step of a long loop. */
export type Pause = () => Promise<void> | undefined;

/**
 * A pause to await in each step of a long loop: it resolves at once until `sliceMs` have passed since the last
 * yield, then yields one turn of the event loop (after pending I/O), so short loops pay nothing.
 */
export function pacer(sliceMs = SLICE_MS): Pause {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return nextTurn().then(() => {
      since = performance.now();
    });
  };
}

/**
 * `items.map(start)` for work that starts something per item (a task sent to a worker) and settles later: the
 * starting loop gives way to the event loop as a paced loop does, then all the results are awaited.
 */
export async function startPaced<T, R>(items: readonly T[], start: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const pause = pacer();
  const started: Promise<R>[] = [];
  for (let i = 0; i < items.length; i++) {
    await pause();
    started.push(start(items[i]!, i));
  }
  return Promise.all(started);
}
