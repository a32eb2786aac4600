/**
 * Compile-time event maps, in the shape socket.io users know: `Server<ClientToServer, ServerToClient,
 * InterServer, SocketData>` on the server, `Socket<ServerToClient, ClientToServer>` on the client. Shared by both
 * packages; nothing here exists at runtime.
 */

/**
 * A map of event name → listener signature, usually an `interface`. Written as `object` because interfaces carry
 * no implicit index signature; entries that are not functions simply have no parameters to offer.
 */
export type EventsMap = object;

/** The untyped default: any event, any arguments (what socket.io users get without generics). */
export interface DefaultEventsMap {
  // biome-ignore lint/suspicious/noExplicitAny: the untyped default must accept any listener and any emit arguments, exactly as socket.io's does
  [event: string]: (...args: any[]) => void;
}

export type EventNames<M extends EventsMap> = keyof M & string;

export type EventParams<M extends EventsMap, E extends EventNames<M>> = M[E] extends (
  ...args: infer P
) => unknown
  ? P
  : never;

/** The listener type of one event. */
export type EventListener<M extends EventsMap, E extends EventNames<M>> = M[E] extends (
  ...args: infer P
) => infer R
  ? (...args: P) => R
  : never;

// An untyped map's parameters are `any[]`, not a tuple: its last element is any element, and dropping it leaves
// the same array type (so untyped users may call `emitWithAck("q")` or `volatile.emit("x")` as in socket.io).
type Last<T extends readonly unknown[]> = number extends T["length"]
  ? T[number]
  : T extends readonly [...infer _H, infer L]
    ? L
    : never;
export type AllButLast<T extends readonly unknown[]> = number extends T["length"]
  ? T
  : T extends readonly [...infer H, infer _L]
    ? H
    : never;
// The fallback is `any`, as socket.io's: an untyped map's ack resolves to `any`, and an untyped socket stays
// assignable to a typed one (`const s: Socket<S2C, C2S> = io(url)`; with `never` here TypeScript's comparison of
// the two generic emitWithAck signatures fails). Names without an ack never get here (EventNamesWithAck).
// biome-ignore lint/suspicious/noExplicitAny: see above
type FirstArg<T> = T extends (first: infer A, ...rest: infer _R) => unknown ? A : any;

/** An ack callback with `(err, ...args)` in front, as `timeout(ms).emit()` delivers it. */
type WithTimeoutError<P extends readonly unknown[]> = {
  [I in keyof P]: P[I] extends (...args: infer A) => infer R ? (err: Error | null, ...args: A) => R : P[I];
};

/** Same, for broadcasts: one response per recipient. */
type WithTimeoutErrorAndResponses<P extends readonly unknown[]> = {
  [I in keyof P]: P[I] extends (...args: infer A) => infer R
    ? (err: Error | null, responses: A[0][]) => R
    : P[I];
};

/** The event map seen through `socket.timeout(ms)`: every trailing callback receives an error first. */
export type DecorateAcknowledgements<M> = {
  [K in keyof M]: M[K] extends (...args: infer P) => infer R ? (...args: WithTimeoutError<P>) => R : M[K];
};

/** The event map seen through `io.timeout(ms)`: callbacks get `(err, responses[])`. */
export type DecorateAcknowledgementsWithMultipleResponses<M> = {
  [K in keyof M]: M[K] extends (...args: infer P) => infer R
    ? (...args: WithTimeoutErrorAndResponses<P>) => R
    : M[K];
};

/** Events without a trailing ack (what a broadcast without timeout may send). */
export type RemoveAcknowledgements<M> = {
  [K in keyof M as M[K] extends (...args: infer P) => unknown
    ? Last<P> extends (...args: never[]) => unknown
      ? never
      : K
    : K]: M[K];
};

/** The events whose last parameter is an ack callback. */
export type EventNamesWithAck<M extends EventsMap> = {
  [K in EventNames<M>]: Last<EventParams<M, K>> extends (...args: never[]) => unknown ? K : never;
}[EventNames<M>];

/** What `emitWithAck` resolves to: the first argument of the ack callback. */
export type AckResult<M extends EventsMap, E extends EventNames<M>> = FirstArg<Last<EventParams<M, E>>>;
