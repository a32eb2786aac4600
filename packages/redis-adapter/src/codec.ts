/**
 * Messages between nodes, msgpack-encoded (binary-safe: Uint8Array/Buffer arguments travel as bytes, not base64).
 * Every message is an array `[type, originUid, ...fields]`.
 */
import type { BroadcastFlags, BroadcastOptions, Room } from "@ladder/server";
import { decode, encode } from "@msgpack/msgpack";

export const MSG = {
  BROADCAST: 1,
  BROADCAST_ACK: 2,
  ACK_COUNT: 3,
  ACK_RESPONSE: 4,
  ACK_GONE: 5,
  FETCH: 6,
  FETCH_RESPONSE: 7,
  JOIN: 8,
  LEAVE: 9,
  DISCONNECT: 10,
  SERVER_SIDE_EMIT: 11,
  SERVER_SIDE_RESPONSE: 12,
} as const;

/** Who a broadcast or request selects, as it travels: `[rooms, except, flags]`. */
export type WireSelection = [rooms: string[], except: string[], flags: Record<string, unknown>];

export function encodeMessage(fields: unknown[]): Uint8Array {
  return encode(fields, { ignoreUndefined: true });
}

/** Decode a message; null for anything malformed (a foreign publisher on our channel must not crash us). */
export function decodeMessage(bytes: Uint8Array): unknown[] | null {
  try {
    const value = decode(bytes);
    return Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string"
      ? value
      : null;
  } catch {
    return null;
  }
}

export { decode, encode };

/** `data` if msgpack can encode it, else null. */
export function safeData(data: unknown): unknown {
  try {
    encodeMessage([0, "", data]);
    return data;
  } catch {
    return null;
  }
}

export function wire(opts: BroadcastOptions): WireSelection {
  const flags: Record<string, unknown> = {};
  const f: BroadcastFlags = opts.flags ?? {};
  if (f.volatile) flags.volatile = true;
  if (f.compress === false) flags.compress = false;
  if (f.timeout !== undefined) flags.timeout = f.timeout;
  return [[...opts.rooms], opts.except ? [...opts.except] : [], flags];
}

export function unwire(m: unknown[], at: number): BroadcastOptions {
  const rooms = m[at] as Room[];
  const except = m[at + 1] as Room[];
  const flags = (m[at + 2] ?? {}) as BroadcastFlags;
  return { rooms: new Set(rooms), except: new Set(except), flags };
}
