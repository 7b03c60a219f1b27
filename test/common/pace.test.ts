import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { pacer } from '../../src/common/pace.js';

/** Busy work of about `ms` on this thread. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('pacer', () => {
  it('costs nothing inside a slice: no yield, no promise', () => {
    const pause = pacer(1_000);
    for (let i = 0; i < 1000; i++) expect(pause()).toBeUndefined();
  });

  it('lets timers run during a long loop that awaits it', async () => {
    const pause = pacer(5);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    for (let i = 0; i < 60; i++) {
      await pause();
      spin(2);
    }
    clearInterval(timer);
    // 120 ms of work in 2 ms steps, a yield every 5 ms: timers ran throughout, not once at the end.
    expect(ticks).toBeGreaterThan(5);
  });

  it('keeps the event loop delay of a long loop near its slice (generous bound)', async () => {
    const pause = pacer(10);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    for (let i = 0; i < 200; i++) {
      await pause();
      spin(1);
    }
    delay.disable();
    // Unpaced, this loop holds the event loop ~200 ms; paced, each hold is one slice and a step (load allowing).
    expect(delay.max / 1e6).toBeLessThan(150);
  });
});
