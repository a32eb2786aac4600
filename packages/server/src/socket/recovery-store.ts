/**
 * The packet log and disconnected-session table behind connection state recovery on one node. Offsets are
 * `<random prefix>.<counter in base 36>`: the prefix makes offsets of another process (or an earlier run) unknown
 * here, so such a client simply gets a fresh session; the counter makes the lookup O(1).
 */
import { randomBytes } from "node:crypto";
import type { Adapter, PersistedSession, RestoredSession, Room } from "./adapter.js";
import type { DedupWindow } from "./dedup.js";

/** Reasons after which the state is kept for connection state recovery (the client did not leave on purpose). */
const RECOVERABLE = new Set<string>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

export function isRecoverable(reason: string): boolean {
  return RECOVERABLE.has(reason);
}

/** Hands a disconnected socket's state to the adapter; a failing store must not break the disconnection. */
export function persistForRecovery(
  adapter: Adapter,
  session: PersistedSession,
  connectedOffset: string | undefined,
  dedup: DedupWindow | undefined,
): void {
  if (connectedOffset !== undefined) session.connectedOffset = connectedOffset;
  if (dedup) session.dedup = dedup.export();
  void Promise.resolve(adapter.persistSession(session)).catch(() => {});
}

interface StoredPacket {
  data: unknown[];
  rooms: Room[] | undefined;
  except: Room[] | undefined;
  at: number;
}

interface StoredSession {
  session: PersistedSession;
  disconnectedAt: number;
}

export class RecoveryStore {
  private readonly prefix = randomBytes(6).toString("base64url");
  /** Counter of the first packet still in `packets`. */
  private first = 0;
  private readonly packets: StoredPacket[] = [];
  private readonly sessions = new Map<string, StoredSession>();

  constructor(
    private readonly maxDisconnectionDuration: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The offset of the latest stored packet (or of "nothing yet"). */
  latestOffset(): string {
    return this.offsetOf(this.first + this.packets.length - 1);
  }

  /** Store one event; returns the offset to append to its data. */
  store(data: unknown[], rooms: ReadonlySet<Room>, except: ReadonlySet<Room> | undefined): string {
    this.purge();
    const offset = this.offsetOf(this.first + this.packets.length);
    this.packets.push({
      data,
      rooms: rooms.size > 0 ? [...rooms] : undefined,
      except: except && except.size > 0 ? [...except] : undefined,
      at: this.now(),
    });
    return offset;
  }

  persist(session: PersistedSession): void {
    this.purge();
    this.sessions.set(session.pid, { session, disconnectedAt: this.now() });
  }

  /** The session and what it missed after `offset`, or null when unknown, expired or the offset is too old. */
  restore(pid: string, offset: string | undefined): RestoredSession | null {
    this.purge();
    const stored = this.sessions.get(pid);
    if (!stored) return null;
    this.sessions.delete(pid); // a pid restores once; the restored socket persists again when it drops
    if (stored.disconnectedAt + this.maxDisconnectionDuration < this.now()) return null;
    const from = this.counterOf(offset ?? stored.session.connectedOffset);
    if (from === undefined || from < this.first - 1) return null;
    const rooms = [stored.session.sid, ...stored.session.rooms];
    const missedPackets: unknown[][] = [];
    for (let i = from + 1 - this.first; i < this.packets.length; i++) {
      const p = this.packets[i]!;
      if (matches(rooms, p)) missedPackets.push(p.data);
    }
    return { ...stored.session, missedPackets };
  }

  get size(): { packets: number; sessions: number } {
    return { packets: this.packets.length, sessions: this.sessions.size };
  }

  /** Drop packets and sessions older than the recovery window (cheap: called on every write). */
  private purge(): void {
    const threshold = this.now() - this.maxDisconnectionDuration;
    let n = 0;
    while (n < this.packets.length && this.packets[n]!.at < threshold) n++;
    if (n > 0) {
      this.packets.splice(0, n);
      this.first += n;
    }
    if (this.sessions.size > 0) {
      for (const [pid, s] of this.sessions) {
        if (s.disconnectedAt >= threshold) break; // insertion order = disconnection order
        this.sessions.delete(pid);
      }
    }
  }

  private offsetOf(counter: number): string {
    return `${this.prefix}.${(counter + 1).toString(36)}`;
  }

  private counterOf(offset: string | undefined): number | undefined {
    if (typeof offset !== "string" || offset.length > 40) return undefined;
    const dot = offset.indexOf(".");
    if (dot < 0 || offset.slice(0, dot) !== this.prefix) return undefined;
    const digits = offset.slice(dot + 1);
    if (!/^[0-9a-z]{1,12}$/.test(digits)) return undefined;
    const n = Number.parseInt(digits, 36) - 1;
    const last = this.first + this.packets.length - 1;
    return n > last ? undefined : n;
  }
}

function matches(sessionRooms: readonly Room[], p: StoredPacket): boolean {
  if (p.except) {
    for (const r of sessionRooms) if (p.except.includes(r)) return false;
  }
  if (!p.rooms) return true;
  for (const r of sessionRooms) if (p.rooms.includes(r)) return true;
  return false;
}
