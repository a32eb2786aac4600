/**
 * The request/response sub-protocol between nodes. A request goes to every node on the namespace's `req#`
 * channel; the answers come back on the origin's own `res#<uid>#` channel, tagged with the request id.
 *
 * - `PendingRequests` is the origin's side: request ids, the fetchSockets waiting for N answers, and the ack
 *   handlers (broadcastWithAck, serverSideEmit with ack) that remote answers feed.
 * - The functions below are the answering side: they turn a remote request into local calls whose results are
 *   sent back through `reply`.
 */
import type { AdapterNamespace, BroadcastAckHandler, RemoteSocketData, Room } from "@ladder/server";
import { MSG, safeData } from "./codec.js";
import { RedisAdapterError } from "./errors.js";

/** Sends one answer to the node that asked. */
export type Reply = (fields: unknown[]) => void;

interface PendingFetch {
  expected: number;
  received: number;
  results: RemoteSocketData[];
  resolve: (sockets: RemoteSocketData[]) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRequests {
  private count = 0;
  private readonly fetches = new Map<string, PendingFetch>();
  private readonly ackHandlers = new Map<string, BroadcastAckHandler>();

  constructor(private readonly uid: string) {}

  nextId(): string {
    return `${this.uid}:${++this.count}`;
  }

  /** Route the answers to `requestId` to `handler` for `keepMs` (the bookkeeping is bounded even without a timeout). */
  trackAcks(requestId: string, handler: BroadcastAckHandler, keepMs: number): void {
    this.ackHandlers.set(requestId, handler);
    setTimeout(() => this.ackHandlers.delete(requestId), keepMs).unref();
  }

  /** Wait for `expected` FETCH_RESPONSEs to `requestId`; `send` publishes the request once it is tracked. */
  fetch(
    requestId: string,
    expected: number,
    timeoutMs: number,
    send: () => void,
  ): Promise<RemoteSocketData[]> {
    return new Promise<RemoteSocketData[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fetches.delete(requestId);
        reject(
          new RedisAdapterError("LADDER_ERR_REDIS_REQUEST_TIMEOUT", `fetchSockets, ${expected} node(s)`),
        );
      }, timeoutMs);
      this.fetches.set(requestId, { expected, received: 0, results: [], resolve, timer });
      send();
    });
  }

  /** Apply an answer addressed to this node (ACK_*, FETCH_RESPONSE, SERVER_SIDE_RESPONSE); others are ignored. */
  onResponse(m: unknown[]): void {
    switch (m[0]) {
      case MSG.ACK_COUNT:
        this.ackHandlers.get(m[2] as string)?.clientCount(m[3] as number);
        return;
      case MSG.ACK_RESPONSE:
      case MSG.SERVER_SIDE_RESPONSE:
        this.ackHandlers.get(m[2] as string)?.response(m[3]);
        return;
      case MSG.ACK_GONE:
        this.ackHandlers.get(m[2] as string)?.gone();
        return;
      case MSG.FETCH_RESPONSE: {
        const req = this.fetches.get(m[2] as string);
        if (!req) return;
        for (const s of m[3] as Array<RemoteSocketData & { rooms: Room[] }>) {
          req.results.push({ ...s, rooms: new Set(s.rooms) });
        }
        if (++req.received >= req.expected) {
          clearTimeout(req.timer);
          this.fetches.delete(m[2] as string);
          req.resolve(req.results);
        }
        return;
      }
    }
  }

  /** Pending fetches resolve with what they have; ack answers arriving later are dropped. */
  close(): void {
    for (const [, req] of this.fetches) {
      clearTimeout(req.timer);
      req.resolve(req.results);
    }
    this.fetches.clear();
    this.ackHandlers.clear();
  }
}

// ---- the answering side ----------------------------------------------------------------------------------------

/** The local ack handler of a remote broadcastWithAck: every count, answer and departure goes back to the origin. */
export function forwardAcks(
  uid: string,
  requestId: string,
  ackId: number,
  timeout: number | undefined,
  reply: Reply,
): BroadcastAckHandler {
  return {
    ackId,
    clientCount: (count, release) => {
      reply([MSG.ACK_COUNT, uid, requestId, count]);
      if (release && timeout !== undefined) setTimeout(release, timeout + 1000).unref();
    },
    response: (value) => reply([MSG.ACK_RESPONSE, uid, requestId, value]),
    gone: () => reply([MSG.ACK_GONE, uid, requestId]),
  };
}

/** Answer a FETCH with this node's matching sockets. */
export function answerFetch(uid: string, requestId: unknown, local: RemoteSocketData[], reply: Reply): void {
  const sockets = local.map((s) => ({ id: s.id, handshake: s.handshake, rooms: [...s.rooms], data: s.data }));
  try {
    reply([MSG.FETCH_RESPONSE, uid, requestId, sockets]);
  } catch {
    // Some socket.data msgpack cannot carry (a function, a class instance with cycles...): answer without
    // data rather than not at all (the origin would wait for requestsTimeout and fail the whole call).
    const plain = sockets.map((s) => ({ ...s, data: safeData(s.data) }));
    reply([MSG.FETCH_RESPONSE, uid, requestId, plain]);
  }
}

/** Deliver a remote serverSideEmit; with a request id, the first answer of this node goes back to the origin. */
export function answerServerSideEmit(
  nsp: AdapterNamespace,
  uid: string,
  requestId: string,
  args: unknown[],
  reply: Reply,
): void {
  if (requestId === "") {
    nsp._onServerSideEmit(args);
    return;
  }
  let answered = false;
  nsp._onServerSideEmit([
    ...args,
    (...answer: unknown[]) => {
      if (answered) return;
      answered = true;
      reply([MSG.SERVER_SIDE_RESPONSE, uid, requestId, answer[0]]);
    },
  ]);
}
