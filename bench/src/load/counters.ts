import { percentile } from "../core/stats.js";

export interface Snapshot {
  count: number;
  errors: number;
  firstError?: string;
  /** Latency percentiles (ms) of the samples recorded since the previous snapshot, when the workload has any. */
  p50?: number;
  p99?: number;
  /** The load process's own CPU time (user + system, ms) since it started: is the client the bottleneck? */
  cpuMs?: number;
}

const RESERVOIR = 50_000;

/** Counts completed operations; keeps a uniform reservoir sample of latencies so memory stays bounded. */
export class Counters {
  count = 0;
  errors = 0;
  firstError: string | undefined;
  private samples: number[] = [];
  private seen = 0;

  error(err: unknown): void {
    this.errors++;
    this.firstError ??= err instanceof Error ? err.message : String(err);
  }

  latency(ms: number): void {
    this.seen++;
    if (this.samples.length < RESERVOIR) this.samples.push(ms);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < RESERVOIR) this.samples[j] = ms;
    }
  }

  /** Current totals; latency percentiles cover the samples since the last call, which are then dropped. */
  snapshot(): Snapshot {
    const snap: Snapshot = { count: this.count, errors: this.errors };
    if (this.firstError !== undefined) snap.firstError = this.firstError;
    if (this.samples.length > 0) {
      snap.p50 = percentile(this.samples, 50);
      snap.p99 = percentile(this.samples, 99);
    }
    this.samples = [];
    this.seen = 0;
    return snap;
  }
}
