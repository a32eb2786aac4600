import type { Listener } from "../emitter.js";
import type { LadderClientError } from "../errors.js";

/** `auth` payload, or a function that produces it for every (re)connection. */
export type AuthOption = Record<string, unknown> | ((cb: (data: Record<string, unknown>) => void) => void);

/** Options of a {@link Socket}. */
export interface SocketOptions {
  /** Sent in the CONNECT packet (middleware sees it as `socket.handshake.auth`). */
  auth?: AuthOption;
  /** Resend an event whose ack did not come within ackTimeout, this many times (at-least-once delivery). */
  retries?: number;
  /** Default ack timeout in ms for every emit with an ack. */
  ackTimeout?: number;
}

/** Why the socket disconnected, as the official client names it. */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** The socket's own events (as socket.io-client declares them); any other name is an application event. */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: LadderClientError) => void;
  disconnect: (reason: DisconnectReason, details?: unknown) => void;
}

/** An event map (name → listener signature) as the argument tuples the emitter stores. */
export type ListenerArgs<M> = {
  [K in keyof M]: M[K] extends (...args: infer P) => unknown ? P : never;
};

/** @internal a listener of every incoming or outgoing event (name first). */
export type AnyListener = Listener<unknown[]>;
/** @internal an ack callback; `withError` when it takes `(err, ...response)`. */
export type Ack = ((...args: unknown[]) => void) & { withError?: boolean };

/** @internal the modifiers of the next emit. */
export interface Flags {
  volatile?: boolean;
  timeout?: number;
  fromQueue?: boolean;
}

/** @internal an emit waiting in the at-least-once retry queue. */
export interface Queued {
  tryCount: number;
  /** Sent, waiting for its ack. */
  _pending: boolean;
  /** `[event, ...args, ackCallback]`. */
  _args: unknown[];
  /** The flags of every (re)send: the emit's own, plus `fromQueue` and an ack deadline. */
  _flags: Flags;
}
