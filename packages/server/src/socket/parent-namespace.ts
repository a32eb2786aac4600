/**
 * A dynamic namespace: `io.of(/^\/room-\d+$/)` or `io.of((name, auth, next) => next(null, allowed))`. Each
 * matching name becomes a child Namespace (`socket.nsp` is the child) that inherits the parent's middlewares and
 * connection listeners registered so far; emitting on the parent reaches every child.
 */

import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "@ladder/protocol";
import { Namespace } from "./namespace.js";
import type { FetchedSocket } from "./remote-socket.js";
import type { Server } from "./server.js";
import type { DefaultSocketData } from "./typed-events.js";

export type NamespaceMatcher =
  | RegExp
  | ((
      name: string,
      auth: Record<string, unknown>,
      next: (err: Error | null, allow?: boolean) => void,
    ) => void);

let parentCount = 0;

export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();

  constructor(
    server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    readonly matcher: NamespaceMatcher,
  ) {
    super(server, `/_${parentCount++}`);
  }

  /** Does `name` belong to this parent? */
  matches(name: string, auth: Record<string, unknown>): Promise<boolean> {
    const m = this.matcher;
    if (m instanceof RegExp) {
      m.lastIndex = 0;
      return Promise.resolve(m.test(name));
    }
    return new Promise((resolve) => {
      let settled = false;
      try {
        m(name, auth, (err, allow) => {
          if (settled) return;
          settled = true;
          resolve(!err && allow === true);
        });
      } catch {
        if (!settled) resolve(false);
        settled = true;
      }
    });
  }

  /** @internal */
  _createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    const child = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this.server, name);
    child._fns = this._fns.slice();
    for (const ev of ["connect", "connection"] as const) {
      for (const l of this.listeners(ev)) child.on(ev, l as never);
    }
    this.children.add(child);
    return child;
  }

  /** Emit to every child namespace. */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    for (const child of this.children) child.emit(ev, ...args);
    return true;
  }

  override async fetchSockets(): Promise<FetchedSocket<EmitEvents, SocketData>[]> {
    const all = await Promise.all([...this.children].map((c) => c.fetchSockets()));
    return all.flat();
  }

  override disconnectSockets(close = false): void {
    for (const child of this.children) child.disconnectSockets(close);
  }
}
