/**
 * The listener side of a Socket: typed `on`/`once`/`off`, the catch-all ("any") listeners for incoming and
 * outgoing events, and per-socket middleware registration. A base class rather than a helper object so the
 * send/receive paths read these fields directly, with no extra hop per message.
 */

import type { EventListener, EventNames, EventsMap } from "@ladder/protocol";
import { BaseEmitter, emitLocal } from "./emitter.js";

/** socket.io's disconnect reasons. */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "client namespace disconnect"
  | "server namespace disconnect";

/** Events a Socket emits locally; clients can never trigger them (the codec rejects reserved names). */
export interface SocketReservedEvents {
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  error: (err: Error) => void;
}

/** Per-socket middleware: sees `[event, ...args]` of each incoming event. */
export type SocketMiddleware = (packet: unknown[], next: (err?: Error) => void) => void;

export type AnyListener = (event: string | number, ...args: unknown[]) => void;

export abstract class SocketListeners<ListenEvents extends EventsMap> extends BaseEmitter {
  abstract connected: boolean;
  // Created only when first needed: an idle socket should cost little heap.
  protected _fns: SocketMiddleware[] | undefined;
  protected _anyIn: AnyListener[] | undefined;
  protected _anyOut: AnyListener[] | undefined;

  override on<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.on(ev as string, listener);
  }

  override once<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.once(ev as string, listener);
  }

  override off<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener?: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.off(ev as string, listener);
  }

  /** Listen to every incoming event: `(event, ...args)`. */
  onAny(listener: AnyListener): this {
    this._anyIn ??= [];
    this._anyIn.push(listener);
    return this;
  }

  prependAny(listener: AnyListener): this {
    this._anyIn ??= [];
    this._anyIn.unshift(listener);
    return this;
  }

  offAny(listener?: AnyListener): this {
    this._anyIn = removeListener(this._anyIn, listener);
    return this;
  }

  listenersAny(): AnyListener[] {
    return this._anyIn ? [...this._anyIn] : [];
  }

  /** Listen to every outgoing event (direct and broadcast): `(event, ...args)`. */
  onAnyOutgoing(listener: AnyListener): this {
    this._anyOut ??= [];
    this._anyOut.push(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    this._anyOut ??= [];
    this._anyOut.unshift(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this._anyOut = removeListener(this._anyOut, listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this._anyOut ? [...this._anyOut] : [];
  }

  /** Per-socket middleware for incoming events; `next(err)` drops the event and emits `error` locally. */
  use(fn: SocketMiddleware): this {
    this._fns ??= [];
    this._fns.push(fn);
    return this;
  }

  /** Runs the per-socket middlewares from `i` on, then dispatches; the first `next(err)` drops the event. */
  protected _runMiddlewares(args: unknown[], i: number): void {
    const fns = this._fns!;
    if (i >= fns.length) {
      this._dispatch(args);
      return;
    }
    let called = false;
    const next = (err?: Error): void => {
      if (called) return;
      called = true;
      if (err) {
        if (this.connected) emitLocal(this, "error", [err]);
        return;
      }
      this._runMiddlewares(args, i + 1);
    };
    const r = fns[i]!(args, next) as unknown;
    if (r && typeof (r as PromiseLike<unknown>).then === "function") {
      (r as PromiseLike<unknown>).then(undefined, (e: unknown) =>
        next(e instanceof Error ? e : new Error(String(e))),
      );
    }
  }

  /** Hands one incoming event (`[event, ...args]`) to the catch-all listeners, then to the event's own. */
  protected _dispatch(args: unknown[]): void {
    if (!this.connected) return;
    if (this._anyIn) for (const l of [...this._anyIn]) l(...(args as [string, ...unknown[]]));
    emitLocal(this, args[0] as string | number, args.slice(1));
  }
}

function removeListener(
  list: AnyListener[] | undefined,
  fn: AnyListener | undefined,
): AnyListener[] | undefined {
  if (!list || !fn) return undefined;
  const i = list.indexOf(fn);
  if (i >= 0) list.splice(i, 1);
  return list.length > 0 ? list : undefined;
}
