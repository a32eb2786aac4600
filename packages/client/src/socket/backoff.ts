/** Options of the reconnection backoff. */
export interface BackoffOptions {
  /** First delay in ms. Default 1000. */
  min?: number;
  /** Largest delay in ms. Default 5000. */
  max?: number;
  /** 0..1: each delay is moved randomly by up to this fraction, so clients that lost the same server spread out. */
  jitter?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Random source (tests inject a fixed one). */
  random?: () => number;
}

/**
 * Exponential backoff as a function of the attempt number: min × factor^attempt, jittered, capped at max.
 */
export class Backoff {
  attempts = 0;
  min: number;
  max: number;
  jitter: number;
  factor: number;
  private readonly _random: () => number;

  constructor(opts?: BackoffOptions) {
    const o = opts || {};
    this.min = o.min !== undefined ? o.min : 1000;
    this.max = o.max !== undefined ? o.max : 5000;
    this.jitter = o.jitter !== undefined && o.jitter > 0 && o.jitter <= 1 ? o.jitter : 0;
    this.factor = o.factor || 2;
    this._random = o.random || Math.random;
  }

  /** The next delay; counts an attempt. */
  duration(): number {
    let ms = Math.min(this.min * this.factor ** this.attempts++, this.max);
    if (this.jitter) {
      const rand = this._random();
      const deviation = Math.floor(rand * this.jitter * ms);
      ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
    }
    // Capped before and after the jitter, so a huge attempt count never yields Infinity or NaN.
    return Math.max(0, Math.min(Math.floor(ms), this.max));
  }

  /** Back to the first delay (after a successful connection). */
  reset(): void {
    this.attempts = 0;
  }
}
