/**
 * Opt-in deduplication of client → server events, turning a client's at-least-once delivery (socket.io-client
 * `retries` + `ackTimeout`) into at-most-once delivery to handlers.
 *
 * Why a client-supplied key: the official client re-sends a queued event with the SAME arguments but a NEW ack id
 * on each retry (and again after a reconnection), so neither the ack id nor the arrival order identifies a retry,
 * and identical arguments may be a legitimate repeat. The application's own message id in the payload does: the
 * retry carries the very same object. The default key is the `id` field of the first argument
 * (`socket.emit("chat", { id: crypto.randomUUID(), text }, ack)`); events without a key are never deduplicated.
 *
 * A duplicate is not delivered. If it asks for an ack, it gets the first delivery's answer — immediately when the
 * handler already answered, otherwise as soon as it does — so a client whose ack was lost still completes.
 */

export type DedupKey = string | number;

export interface DeduplicateOptions {
  /** How many recent keys each socket remembers (default 256). */
  windowSize?: number;
  /** Extract the message key; `undefined` = do not deduplicate this event. */
  key?: (event: string | number, args: readonly unknown[]) => DedupKey | undefined;
}

export function defaultDedupKey(event: string | number, args: readonly unknown[]): DedupKey | undefined {
  const first = args[0];
  if (typeof first !== "object" || first === null || Array.isArray(first)) return undefined;
  if (!Object.hasOwn(first, "id")) return undefined;
  const id = (first as { id: unknown }).id;
  if (typeof id !== "string" && typeof id !== "number") return undefined;
  return `${event}\u0000${id}`;
}

interface Entry {
  /** The first delivery's ack answer, once given. */
  answer: unknown[] | undefined;
  /** Acks of duplicates waiting for that answer. */
  waiting: Array<(args: unknown[]) => void> | undefined;
}

/** One socket's window of recently delivered keys. */
export class DedupWindow {
  private readonly entries = new Map<DedupKey, Entry>();

  constructor(private readonly size: number) {}

  /**
   * Returns true when `key` was already delivered: then `ack` (if any) is answered with the first answer. Returns
   * false for a new key and records it; `answer` must then be called with the handler's ack arguments.
   */
  seen(key: DedupKey, ack: ((...args: unknown[]) => void) | undefined): boolean {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { answer: undefined, waiting: undefined });
      if (this.entries.size > this.size) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      return false;
    }
    if (ack) {
      if (entry.answer) ack(...entry.answer);
      else {
        entry.waiting ??= [];
        entry.waiting.push((args) => ack(...args));
      }
    }
    return true;
  }

  /** Wraps the handler's ack so that its answer is also recorded for later duplicates of `key`. */
  recording(key: DedupKey, ack: (...args: unknown[]) => void): (...args: unknown[]) => void {
    return (...a: unknown[]) => {
      ack(...a);
      this.answer(key, a);
    };
  }

  answer(key: DedupKey, args: unknown[]): void {
    const entry = this.entries.get(key);
    if (!entry || entry.answer) return;
    entry.answer = args;
    const waiting = entry.waiting;
    entry.waiting = undefined;
    if (waiting) for (const w of waiting) w(args);
  }

  /** For connection state recovery: what to persist. */
  export(): Array<[DedupKey, unknown[] | null]> {
    const out: Array<[DedupKey, unknown[] | null]> = [];
    for (const [k, e] of this.entries) out.push([k, e.answer ?? null]);
    return out;
  }

  static restore(size: number, saved: ReadonlyArray<[DedupKey, unknown[] | null]>): DedupWindow {
    const w = new DedupWindow(size);
    for (const [k, answer] of saved) w.entries.set(k, { answer: answer ?? undefined, waiting: undefined });
    return w;
  }
}
