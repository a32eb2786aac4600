/**
 * Crash-safe recovery: a node that is killed never gets to call `persistSession`, so a connected socket's state
 * (id, pid, rooms, data, connected offset) is kept in Redis while it is connected — written on connect, join
 * and leave (once per tick), its TTL refreshed while this node lives, deleted when the socket leaves for good.
 * A disconnect that the socket layer persists overwrites it with the exact state.
 */
import type { AdapterNamespace, PersistedSession, Room, SocketId } from "@ladder/server";
import type { StreamRecovery } from "./stream-recovery.js";

export class LiveSnapshots {
  /** Sockets whose snapshot must be (re)written at the end of this tick. */
  private readonly dirty = new Set<SocketId>();
  /** Pids persisted by a disconnect in this tick: their key is the persisted state, not to be deleted. */
  private readonly persistedPids = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly nsp: AdapterNamespace,
    private readonly stream: StreamRecovery,
    private readonly ready: () => boolean,
    private readonly roomsOf: (id: SocketId) => Iterable<Room> | undefined,
    windowMs: number,
  ) {
    // A connected socket's snapshot lives as long as this node does (refreshed), then one window more.
    this.timer = setInterval(() => this.refresh(), Math.max(500, Math.floor(windowMs / 3)));
    this.timer.unref();
  }

  /** The socket connected, joined or left a room. */
  touched(id: SocketId): void {
    // After the tick: the socket layer sets the pid and connected offset right after its first addAll.
    if (this.dirty.size === 0) queueMicrotask(() => this.write());
    this.dirty.add(id);
  }

  /** The socket layer persisted this session (a recoverable disconnect). */
  persisted(pid: string): void {
    if (this.persistedPids.size === 0) queueMicrotask(() => this.persistedPids.clear());
    this.persistedPids.add(pid);
  }

  /** The socket is leaving this node: keep its state only if the disconnect was persisted. */
  left(id: SocketId): void {
    const pid = this.nsp.sockets.get(id)?._pid;
    this.dirty.delete(id);
    if (!pid || this.persistedPids.has(pid) || !this.ready()) return;
    this.stream.forget(pid).catch(() => {});
  }

  close(): void {
    clearInterval(this.timer);
    this.dirty.clear();
  }

  private write(): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    if (!this.ready()) return;
    for (const id of ids) {
      const socket = this.nsp.sockets.get(id);
      if (!socket?._pid) continue;
      const session: PersistedSession = {
        sid: id,
        pid: socket._pid,
        rooms: [...(this.roomsOf(id) ?? [])],
        data: socket.data,
      };
      if (socket._connectedOffset !== undefined) session.connectedOffset = socket._connectedOffset;
      this.stream.snapshot(session).catch(() => {});
    }
  }

  private refresh(): void {
    if (!this.ready()) return;
    const pids: string[] = [];
    for (const socket of this.nsp.sockets.values()) if (socket._pid) pids.push(socket._pid);
    this.stream.refresh(pids).catch(() => {});
  }
}
