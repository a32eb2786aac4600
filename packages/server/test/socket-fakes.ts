/**
 * Test doubles for the socket layer: FakeSession is an in-memory stand-in for the engine's EngineSession
 * contract (it records what the socket layer sends and lets a test play the client), FakeEngine emits
 * "connection" like the Engine does. No network, no timers of their own.
 */
import { EventEmitter } from "eventemitter3";
import type { SessionHandshake, SessionLike } from "../src/socket/engine-types.js";

let seq = 0;

export class FakeSession extends EventEmitter implements SessionLike {
  readonly id = `fake-sid-${++seq}`;
  readyState: "opening" | "open" | "closing" | "closed" = "open";
  readonly transport = { name: "fake" };
  readonly protocol = 4;
  /** Every sendAll call: the very array handed over (identity matters for encode-once) and its options. */
  readonly sends: Array<{ data: ReadonlyArray<string | Uint8Array>; options: unknown }> = [];
  closeCalls = 0;
  readonly handshake: SessionHandshake;

  constructor(query: Record<string, string> = {}) {
    super();
    this.handshake = {
      headers: { host: "localhost" },
      query,
      address: "127.0.0.1",
      url: "/socket.io/?EIO=4&transport=fake",
      secure: false,
      xdomain: false,
      issued: 0,
      time: new Date(0).toString(),
    };
  }

  sendAll(data: ReadonlyArray<string | Uint8Array>, options?: unknown): this {
    if (this.readyState === "open") this.sends.push({ data, options });
    return this;
  }

  close(): this {
    this.closeCalls++;
    if (this.readyState === "closed") return this;
    this.readyState = "closed";
    this.emit("close", "forced close");
    return this;
  }

  /** The client side: one Engine.IO message arrives. */
  receive(...messages: Array<string | Uint8Array>): void {
    for (const m of messages) this.emit("message", m);
  }

  /** The transport dropped (e.g. network loss). */
  drop(reason = "transport close"): void {
    this.readyState = "closed";
    this.emit("close", reason);
  }

  /** Text frames sent so far, flattened. */
  get texts(): string[] {
    const out: string[] = [];
    for (const s of this.sends) for (const d of s.data) if (typeof d === "string") out.push(d);
    return out;
  }

  /** Forget what was sent so far. */
  clear(): void {
    this.sends.length = 0;
  }
}

export class FakeEngine extends EventEmitter {
  closed = false;
  close(): void {
    this.closed = true;
  }
  connect(session: FakeSession): FakeSession {
    this.emit("connection", session);
    return session;
  }
}

/** Let promise callbacks (middlewares, recovery lookups) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
