/**
 * A listener as users write it. Declared through a method so that a listener with narrower parameter types
 * (`(msg: string) => void`) is accepted where the event's arguments are not statically known.
 */
// biome-ignore lint/suspicious/noExplicitAny: internal helper type; the public signatures use unknown[]
export type Listener<A extends unknown[] = any[]> = { bivarianceHack(...args: A): void }["bivarianceHack"];

/** Maps event names to their argument tuples. */
export type EventMap = { [event: string]: unknown[] };

interface Entry {
  fn: Listener;
  once: boolean;
}

/**
 * A tiny typed emitter without a public `emit`: the base of {@link Emitter} and of classes whose `emit` means
 * something else (a Socket's `emit` sends to the server). Written for the browser bundles: no Map/Symbol (ES5
 * legacy bundle) and a fraction of eventemitter3's size. Listener lists live in a prototype-less object, so event
 * names like `__proto__` or `toString` are plain keys.
 */
export class Listeners<Events extends EventMap> {
  private _ev: { [event: string]: Entry[] | undefined } = Object.create(null);

  /** Registers `fn` for `event`. */
  on<K extends keyof Events & string>(event: K, fn: Listener<Events[K]>): this {
    return this._add(event, fn, false);
  }

  /** Registers `fn` for the next `event` only. */
  once<K extends keyof Events & string>(event: K, fn: Listener<Events[K]>): this {
    return this._add(event, fn, true);
  }

  /** Same as {@link Listeners.on}; the DOM-style name. */
  addListener<K extends keyof Events & string>(event: K, fn: Listener<Events[K]>): this {
    return this._add(event, fn, false);
  }

  /** Removes `fn` from `event`; without `fn` every listener of `event`; without arguments every listener. */
  off<K extends keyof Events & string>(event?: K, fn?: Listener<Events[K]>): this {
    if (event === undefined) {
      this._ev = Object.create(null);
      return this;
    }
    const list = this._ev[event];
    if (!list) return this;
    for (let i = 0; fn && i < list.length; i++) {
      if (list[i]!.fn === fn) {
        list.splice(i, 1);
        break;
      }
    }
    // Without `fn`, or once the last listener is gone, the whole list goes (hasListeners reads its presence).
    if (!fn || list.length === 0) delete this._ev[event];
    return this;
  }

  /** Alias of {@link Listeners.off}. */
  removeListener<K extends keyof Events & string>(event?: K, fn?: Listener<Events[K]>): this {
    return this.off(event, fn);
  }

  /** Alias of {@link Listeners.off} without a listener. */
  removeAllListeners<K extends keyof Events & string>(event?: K): this {
    return this.off(event);
  }

  /** The listeners currently registered for `event`. */
  listeners<K extends keyof Events & string>(event: K): Listener<Events[K]>[] {
    const list = this._ev[event];
    const out: Listener<Events[K]>[] = [];
    if (list) for (let i = 0; i < list.length; i++) out.push(list[i]!.fn);
    return out;
  }

  /** True when `event` has at least one listener. */
  hasListeners<K extends keyof Events & string>(event: K): boolean {
    return !!this._ev[event];
  }

  /** Calls every listener of `event` in registration order; true when there was one. (Internal, so untyped:
   * subclasses with generic event maps fire their own events through it.) */
  protected _emit(event: string, args: unknown[]): boolean {
    const list = this._ev[event];
    if (!list) return false;
    // A copy, so listeners added or removed while emitting do not change this round.
    const copy = list.slice();
    for (let i = 0; i < copy.length; i++) {
      const entry = copy[i]!;
      if (entry.once) this.off(event, entry.fn);
      entry.fn.apply(this, args);
    }
    return true;
  }

  private _add(event: string, fn: Listener, once: boolean): this {
    let list = this._ev[event];
    if (!list) {
      list = [];
      this._ev[event] = list;
    }
    list.push({ fn, once });
    return this;
  }
}

/** A tiny typed emitter (see {@link Listeners}). */
export class Emitter<Events extends EventMap> extends Listeners<Events> {
  /** Calls every listener of `event` in registration order; true when there was one. */
  emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return this._emit(event, args);
  }
}

/** Subscribes and returns the unsubscribe function, so one cleanup can undo a whole set of subscriptions. */
export function on<E extends EventMap, K extends keyof E & string>(
  target: Listeners<E>,
  event: K,
  fn: Listener<E[K]>,
): () => void {
  target.on(event, fn);
  return () => {
    target.off(event, fn);
  };
}

/** Calls every unsubscribe function of `subs` (from {@link on}); the one cleanup of a set of subscriptions. */
export function offAll(subs: Array<() => void> | null): void {
  if (subs) for (let i = 0; i < subs.length; i++) subs[i]!();
}
