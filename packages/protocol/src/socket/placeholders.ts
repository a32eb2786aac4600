/**
 * Moving binary values out of a packet (placeholders + buffers) and back in.
 *
 * On the wire each binary value in EVENT/ACK data is replaced by `{"_placeholder":true,"num":N}` and the N-th
 * buffer follows as its own Engine.IO message. Putting buffers back is where parsers have been attacked
 * (`num: "toString"`, `num: "__proto__"`, placeholders pointing past the buffers), so a placeholder is only
 * honoured when `num` is an integer index into the announced attachments, and values are written with
 * {@link setOwn} so a `__proto__` key can never reach the prototype setter.
 */
import { ProtocolError } from "../errors.js";
import { descend, isBinary, toBytes } from "./binary.js";
import type { SocketPacket, SocketPacketTypeCode } from "./types.js";

const hasOwn = Object.prototype.hasOwnProperty;

/** Assigns an own enumerable property; for `__proto__` it defines one instead of calling the setter. */
export function setOwn(target: object, key: string | number, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<string | number, unknown>)[key] = value;
  }
}

/**
 * -1 when `obj` (a non-array object) is ordinary data; the attachment index when it is a placeholder.
 * Any object with an own `_placeholder` key is treated as a placeholder attempt, so a malformed one is
 * rejected instead of slipping through as data.
 */
export function placeholderNum(obj: object, attachments: number): number {
  const ph = obj as { _placeholder?: unknown; num?: unknown };
  // The plain property read settles almost every object; the own-property check then rules out a value
  // inherited from a (polluted) prototype.
  if (ph._placeholder === undefined || !hasOwn.call(obj, "_placeholder")) return -1;
  if (ph._placeholder !== true) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_PLACEHOLDER", "_placeholder must be exactly true");
  }
  const num = hasOwn.call(obj, "num") ? ph.num : undefined;
  if (typeof num !== "number" || num < 0 || num >= attachments || Math.floor(num) !== num) {
    throw new ProtocolError(
      "LADDER_ERR_SIO_BAD_PLACEHOLDER",
      `num must be an integer in [0, ${attachments}), got ${typeof num === "number" ? num : typeof num}`,
    );
  }
  return num;
}

function assertAllReferenced(seen: boolean[], attachments: number): void {
  for (let i = 0; i < attachments; i++) {
    if (seen[i] !== true) {
      throw new ProtocolError("LADDER_ERR_SIO_BAD_PLACEHOLDER", `attachment ${i} is never referenced`);
    }
  }
}

/**
 * Where the decoder must put buffers back, as flat triples `holder, key, num`
 * (`holder[key] = buffers[num]`): one array instead of an object per placeholder.
 */
export type PlaceholderSlots = unknown[];

function visit(
  holder: object,
  key: string | number,
  value: unknown,
  attachments: number,
  slots: PlaceholderSlots,
  seen: boolean[],
  stack: object[],
): void {
  if (typeof value !== "object" || value === null) return;
  if (!Array.isArray(value)) {
    const num = placeholderNum(value, attachments);
    if (num !== -1) {
      slots.push(holder, key, num);
      seen[num] = true;
      return;
    }
  }
  stack.push(value);
}

/**
 * Finds and validates every placeholder in freshly parsed JSON (a tree: no cycles, no shared nodes).
 * Iterative, so hostile nesting depth cannot overflow the call stack. Throws BAD_PLACEHOLDER when a
 * placeholder is malformed or an attachment is never referenced.
 */
export function collectPlaceholders(root: unknown, attachments: number): PlaceholderSlots {
  const slots: PlaceholderSlots = [];
  const seen: boolean[] = [];
  const stack: object[] = [];
  if (typeof root === "object" && root !== null) stack.push(root);
  while (stack.length > 0) {
    const holder = stack.pop()!;
    if (Array.isArray(holder)) {
      for (let i = 0; i < holder.length; i++) visit(holder, i, holder[i], attachments, slots, seen, stack);
    } else {
      for (const k in holder) {
        if (hasOwn.call(holder, k)) {
          visit(holder, k, (holder as Record<string, unknown>)[k], attachments, slots, seen, stack);
        }
      }
    }
  }
  assertAllReferenced(seen, attachments);
  return slots;
}

/** Writes the buffers into the slots found by {@link collectPlaceholders}. */
export function fillPlaceholders(slots: PlaceholderSlots, buffers: ReadonlyArray<unknown>): void {
  for (let i = 0; i < slots.length; i += 3) {
    setOwn(slots[i] as object, slots[i + 1] as string | number, buffers[slots[i + 2] as number]);
  }
}

type ToJSON = (this: unknown, key: string) => unknown;

function extract(
  value: unknown,
  key: string | number,
  depth: number,
  path: object[] | null,
  buffers: Uint8Array[],
  resolveToJSON: boolean,
): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isBinary(value)) {
    buffers.push(toBytes(value));
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (resolveToJSON) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      return extract((toJSON as ToJSON).call(value, "" + key), key, depth, path, buffers, false);
    }
  }
  const childPath = descend(value, depth, path, "LADDER_ERR_SIO_UNENCODABLE");
  let out: object;
  if (Array.isArray(value)) {
    // push keeps the copy a packed array (new Array(n) would be holey, which JSON.stringify walks slower).
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++)
      copy.push(extract(value[i], i, depth + 1, childPath, buffers, true));
    out = copy;
  } else {
    out = {};
    for (const k in value) {
      if (hasOwn.call(value, k)) {
        setOwn(
          out,
          k,
          extract((value as Record<string, unknown>)[k], k, depth + 1, childPath, buffers, true),
        );
      }
    }
  }
  if (childPath !== null) childPath.pop();
  return out;
}

function withoutBinaryType(type: SocketPacketTypeCode): SocketPacketTypeCode {
  return type === 5 ? 2 : type === 6 ? 3 : type;
}

/**
 * Replaces every binary value in `packet.data` by a numbered placeholder. Returns a new packet (the input is
 * not modified): BINARY_EVENT/BINARY_ACK with `attachments` when binary was found, EVENT/ACK otherwise.
 * Buffers come out as Uint8Array views over the original memory (no copy). `toJSON` methods are applied as
 * JSON.stringify would. Throws LADDER_ERR_SIO_UNENCODABLE on a cycle, or when binary sits in a packet type
 * that cannot carry it.
 */
export function deconstructPacket(packet: SocketPacket): { packet: SocketPacket; buffers: Uint8Array[] } {
  const buffers: Uint8Array[] = [];
  const data = packet.data === undefined ? undefined : extract(packet.data, "", 0, null, buffers, true);
  let type = withoutBinaryType(packet.type);
  if (buffers.length > 0) {
    if (type === 2) type = 5;
    else if (type === 3) type = 6;
    else {
      throw new ProtocolError(
        "LADDER_ERR_SIO_UNENCODABLE",
        "binary data is only allowed in EVENT and ACK packets",
      );
    }
  }
  const out: SocketPacket = { type, nsp: packet.nsp };
  if (packet.id !== undefined) out.id = packet.id;
  if (data !== undefined) out.data = data;
  if (buffers.length > 0) out.attachments = buffers.length;
  return { packet: out, buffers };
}

function rebuild(
  value: unknown,
  buffers: ReadonlyArray<Uint8Array | ArrayBuffer>,
  seen: boolean[],
  depth: number,
  path: object[] | null,
): unknown {
  if (typeof value !== "object" || value === null || isBinary(value)) return value;
  if (!Array.isArray(value)) {
    const num = placeholderNum(value, buffers.length);
    if (num !== -1) {
      seen[num] = true;
      return buffers[num];
    }
  }
  const childPath = descend(value, depth, path, "LADDER_ERR_SIO_BAD_PAYLOAD");
  let out: object;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = rebuild(value[i], buffers, seen, depth + 1, childPath);
    out = copy;
  } else {
    out = {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      setOwn(out, k, rebuild((value as Record<string, unknown>)[k], buffers, seen, depth + 1, childPath));
    }
  }
  if (childPath !== null) childPath.pop();
  return out;
}

/**
 * The inverse of {@link deconstructPacket}: returns a new EVENT/ACK packet whose data has every placeholder
 * replaced by its buffer (passed through unchanged). The input is not modified. Throws
 * LADDER_ERR_SIO_BAD_ATTACHMENTS when `packet.attachments` disagrees with `buffers.length`, and
 * LADDER_ERR_SIO_BAD_PLACEHOLDER for a malformed placeholder or a buffer no placeholder refers to.
 */
export function reconstructPacket(
  packet: SocketPacket,
  buffers: ReadonlyArray<Uint8Array | ArrayBuffer>,
): SocketPacket {
  if (packet.attachments !== undefined && packet.attachments !== buffers.length) {
    throw new ProtocolError(
      "LADDER_ERR_SIO_BAD_ATTACHMENTS",
      `the packet announces ${packet.attachments} attachments, got ${buffers.length}`,
    );
  }
  const seen: boolean[] = [];
  let data: unknown;
  try {
    data = rebuild(packet.data, buffers, seen, 0, null);
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    // Only a stack overflow on absurd nesting can land here.
    throw new ProtocolError("LADDER_ERR_SIO_BAD_PAYLOAD", "data nested too deeply");
  }
  assertAllReferenced(seen, buffers.length);
  const out: SocketPacket = { type: withoutBinaryType(packet.type), nsp: packet.nsp };
  if (packet.id !== undefined) out.id = packet.id;
  if (data !== undefined) out.data = data;
  return out;
}
