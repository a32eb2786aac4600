/**
 * The part of the engine contract (/tmp engine-session-contract: `Engine`, `EngineSession`) the socket layer
 * uses, written structurally so the socket layer depends on behaviour, not on the engine's classes. The engine's
 * own types satisfy these interfaces; tests use an in-memory double.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Plain handshake data kept by the engine (it never retains the IncomingMessage). */
export interface SessionHandshake {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  address: string;
  url: string;
  secure: boolean;
  xdomain: boolean;
  issued: number;
  time: string;
}

export type SessionData = string | Uint8Array | ArrayBuffer;

/** One Engine.IO session, as the socket layer sees it. */
export interface SessionLike {
  readonly id: string;
  readonly readyState: "opening" | "open" | "closing" | "closed";
  readonly transport: { readonly name: string };
  readonly handshake: SessionHandshake;
  readonly protocol: number;
  sendAll(
    data: ReadonlyArray<string | Uint8Array>,
    options?: { compress?: boolean; volatile?: boolean },
  ): unknown;
  close(discard?: boolean): unknown;
  // eventemitter3's signatures: the third argument is the listener's `this`, which lets the socket layer register
  // prototype methods instead of allocating two closures per connection.
  on(event: "message", listener: (data: string | Uint8Array) => void, context?: unknown): unknown;
  on(event: "close", listener: (reason: string, description?: unknown) => void, context?: unknown): unknown;
  off(event: "message", listener: (data: string | Uint8Array) => void, context?: unknown): unknown;
  off(event: "close", listener: (reason: string, description?: unknown) => void, context?: unknown): unknown;
}

/** The engine, as the Server drives it. */
export interface EngineLike {
  on(event: "connection", listener: (session: SessionLike) => void): unknown;
  off(event: "connection", listener: (session: SessionLike) => void): unknown;
  close(): void;
  handleRequest?(req: IncomingMessage, res: ServerResponse): void;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Injectable timers (tests drive time; production uses the globals). */
export interface SocketTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const defaultTimers: SocketTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Ack and recovery timers must never keep a process alive on their own.
    if (typeof t === "object" && t !== null && "unref" in t) (t as { unref(): void }).unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
