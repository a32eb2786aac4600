/**
 * Micro-benchmark timing for in-process work (the codec scenario). The result of every call goes to a
 * module-level sink so the optimiser cannot drop the call.
 */
let sink: unknown;

/** Keeps the sink observable from outside, so writes to it are never dead stores. */
export function lastSinkValue(): unknown {
  return sink;
}

/** Runs `fn` for about `budgetMs` in batches of ≥ 2 ms and returns operations per second. */
export function opsPerSecond(fn: () => unknown, budgetMs: number): number {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    if (performance.now() - t0 >= 2 || batch >= 1 << 24) break;
    batch *= 2;
  }
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < budgetMs) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    now = performance.now();
  }
  return ops / ((now - start) / 1000);
}

/** Best (minimum) wall time in ms of `repeat` single calls; exceptions are part of the work, not failures. */
export function bestTimeMs(fn: () => unknown, repeat: number): number {
  let best = Number.POSITIVE_INFINITY;
  // Collect first (when --expose-gc is on), so one run's garbage is not charged to the next.
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < repeat; i++) {
    gc?.();
    const t0 = performance.now();
    try {
      sink = fn();
    } catch (err) {
      sink = err;
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
