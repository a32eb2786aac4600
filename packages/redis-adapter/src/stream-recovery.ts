/**
 * Connection state recovery across nodes. Every recoverable broadcast is appended (XADD) to one Redis Stream per
 * namespace; its stream id is the offset the client sees and sends back. A disconnected socket's state is a
 * key with a TTL of the recovery window. A client reconnecting to ANY node within the window gets its id, rooms,
 * data and the packets after its offset (XRANGE), filtered by its rooms.
 *
 * Trimming is by time (XADD MINID ~ now - window; stream ids start with the millisecond), so "the window" means
 * the same for packets and sessions, plus an optional MAXLEN-like cap on entries (`maxStreamLength`).
 */
import type { PersistedSession, RestoredSession, Room } from "@ladder/server";
import type { Redis } from "ioredis";
import { decode, encode } from "./codec.js";

const STREAM_ID = /^(\d{1,15})-(\d{1,15})$/;

export class StreamRecovery {
  private readonly streamKey: string;
  private readonly sessionPrefix: string;

  constructor(
    private readonly redis: Redis,
    keyBase: string,
    private readonly windowMs: number,
    private readonly maxStreamLength: number | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.streamKey = `${keyBase}#stream`;
    this.sessionPrefix = `${keyBase}#session#`;
  }

  /** Append one event; resolves with its offset (the stream id). */
  async append(
    data: unknown[],
    rooms: ReadonlySet<Room>,
    except: ReadonlySet<Room> | undefined,
  ): Promise<string> {
    const entry = Buffer.from(encode([data, [...rooms], except ? [...except] : []]));
    const minId = `${Math.max(0, this.now() - this.windowMs)}-0`;
    const id = this.maxStreamLength
      ? await this.redis.xadd(this.streamKey, "MAXLEN", "~", this.maxStreamLength, "*", "d", entry)
      : await this.redis.xadd(this.streamKey, "MINID", "~", minId, "*", "d", entry);
    // An idle stream disappears by itself after the window.
    void this.redis.pexpire(this.streamKey, this.windowMs * 2).catch(() => {});
    return id as string;
  }

  /** Keep a connected socket's state, so it survives the death of this node (expires after the window). */
  async snapshot(session: PersistedSession): Promise<void> {
    await this.persist(session);
  }

  /** Refresh the TTL of connected sockets' snapshots (this node is alive). */
  async refresh(pids: readonly string[]): Promise<void> {
    if (pids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const pid of pids) pipeline.pexpire(this.sessionPrefix + pid, Math.max(1, this.windowMs));
    await pipeline.exec();
  }

  /** The socket left for good (not recoverable): its state must not be restored. */
  async forget(pid: string): Promise<void> {
    await this.redis.del(this.sessionPrefix + pid);
  }

  async persist(session: PersistedSession): Promise<void> {
    const value = Buffer.from(encode(session, { ignoreUndefined: true }));
    await this.redis.set(this.sessionPrefix + session.pid, value, "PX", Math.max(1, this.windowMs));
  }

  /** The session and what it missed after `offset`, or null when unknown, expired or the offset is too old. */
  async restore(pid: string, offset: string | undefined): Promise<RestoredSession | null> {
    if (typeof pid !== "string" || pid.length > 200) return null;
    // GETDEL: a pid restores once, even when two nodes race for it.
    const raw = await this.redis.getdelBuffer(this.sessionPrefix + pid);
    if (!raw) return null;
    const session = decode(raw) as PersistedSession;
    const from = offset ?? session.connectedOffset;
    const m = typeof from === "string" ? STREAM_ID.exec(from) : null;
    // Older than the window: trimming may have removed packets after it, so the gap cannot be proven empty.
    if (!m || Number(m[1]) < this.now() - this.windowMs) return null;
    const entries = (await this.redis.xrangeBuffer(this.streamKey, `(${from}`, "+")) as unknown as Array<
      [Buffer, Buffer[]]
    >;
    const rooms = [session.sid, ...session.rooms];
    const missedPackets: unknown[][] = [];
    for (const [id, fields] of entries) {
      const value = fields[1];
      if (!value) continue;
      const [data, to, except] = decode(value) as [unknown[], Room[], Room[]];
      if (!selects(rooms, to, except)) continue;
      data.push(id.toString());
      missedPackets.push(data);
    }
    return { ...session, rooms: session.rooms ?? [], missedPackets };
  }
}

function selects(sessionRooms: readonly Room[], to: readonly Room[], except: readonly Room[]): boolean {
  for (const r of sessionRooms) if (except.includes(r)) return false;
  if (to.length === 0) return true;
  for (const r of sessionRooms) if (to.includes(r)) return true;
  return false;
}
