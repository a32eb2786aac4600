/**
 * What every system module under servers/ implements. The behaviours of all scenarios are installed at
 * once (echo, ack, broadcast trigger, hello on connect, streaming), so one server serves any workload.
 */
export interface ServerConfig {
  /** Size in bytes of the string the server broadcasts or streams. */
  payloadSize: number;
  /** Emit a "hello" event (or message) to each new connection: the connect-rate scenario's "first event". */
  hello: boolean;
  /** Cluster systems: the Redis key / channel prefix shared by the nodes of one run. */
  redisPrefix?: string;
}

export interface RunningServer {
  port: number;
  /** Connected clients (sessions) the server currently holds. */
  clients(): number;
  /**
   * Delivery scenario: keep sending `batch` timestamped messages to every client each time that client's
   * previous batch has been handed to its transport (drain), so buffers stay bounded on every transport.
   */
  startStream?(batch: number): void;
  /**
   * Delivery scenario, paced case: every `everyMs` (one interval timer), send one timestamped message to every
   * client, whatever the transport is doing — messages produced one at a time, as an application produces them.
   */
  startPaced?(everyMs: number): void;
  /** Stops both kinds of stream. */
  stopStream?(): void;
  close(): Promise<void>;
}

export type StartServer = (config: ServerConfig) => Promise<RunningServer>;

/**
 * A clock shared by the processes of one machine, in ms with sub-microsecond resolution: process.hrtime reads
 * CLOCK_MONOTONIC, which is system-wide. (performance.timeOrigin is not: it is anchored with a millisecond
 * wall clock at each process's start, so two processes can disagree by up to ~1 ms — more than the latencies
 * measured here.)
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function payloadOf(size: number): string {
  return "x".repeat(size);
}

/**
 * Wraps a refill function so that it runs at most once per event-loop turn, from setImmediate. Calling it
 * straight from a drain / write callback can chain process.nextTick callbacks forever when the kernel takes
 * every write at once, starving I/O (and the bench's own IPC) — an application would not do that either.
 */
/** An interval timer sending one message to each of `targets()` per tick; returns its stop function. */
export function paced<T>(everyMs: number, targets: () => Iterable<T>, send: (target: T) => void): () => void {
  const timer = setInterval(() => {
    for (const target of targets()) send(target);
  }, everyMs);
  return () => clearInterval(timer);
}

export function onceNextTurn(refill: () => void): () => void {
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    refill();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(run);
  };
}
