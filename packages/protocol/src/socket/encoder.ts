import { isProtocolError, ProtocolError } from "../errors.js";
import { hasBinary } from "./binary.js";
import { deconstructPacket } from "./placeholders.js";
import type { SocketPacket, SocketPacketTypeCode } from "./types.js";
import { assertData, assertNamespace, isAckId, takesAckId } from "./validate.js";

// Servers encode the same few namespaces over and over; remembering the last one that passed keeps the
// per-packet cost of namespace validation at one string comparison.
let lastValidNamespace = "/";

/**
 * The first JSON character each packet type's data must serialize to. Only a `toJSON` on the data itself can
 * change its top-level shape after validation, so only then is this checked.
 */
function assertJsonShape(type: SocketPacketTypeCode, data: unknown, json: string): void {
  if (typeof (data as { toJSON?: unknown }).toJSON !== "function") return;
  const c = json.charCodeAt(0);
  const ok = type === 0 ? c === 0x7b : type === 4 ? c === 0x7b || c === 0x22 : c === 0x5b;
  if (!ok) throw new ProtocolError("LADDER_ERR_SIO_UNENCODABLE", "toJSON changed the shape of the data");
}

/** For error details: never calls user code (a String() on an object could run a throwing toString). */
function describe(value: unknown): string {
  return typeof value === "number" || typeof value === "string" ? String(value) : typeof value;
}

function header(
  type: SocketPacketTypeCode,
  attachments: number,
  nsp: string,
  id: number | undefined,
): string {
  let out = "" + type;
  if (attachments > 0) out += attachments + "-";
  if (nsp !== "/") out += nsp + ",";
  if (id !== undefined) out += id;
  return out;
}

/**
 * Encodes one packet into the Engine.IO messages that carry it: `[text]`, or for binary data
 * `[header text, ...attachments]` where each attachment is a Uint8Array (a view, not a copy).
 *
 * Text format: `<type>[<attachments>-][<nsp>,][<id>][<JSON>]`, the namespace omitted when it is "/".
 * EVENT/ACK data holding binary anywhere becomes BINARY_EVENT/BINARY_ACK with `{"_placeholder":true,"num":N}`
 * in place of each binary value; BINARY_EVENT/BINARY_ACK without binary are sent as EVENT/ACK.
 *
 * The result depends only on the packet, so a broadcast encodes once and sends the same array to every
 * recipient (nothing in it is mutated later).
 *
 * Throws ProtocolError: the same codes the decoder would raise for a packet it would reject
 * (LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE, _BAD_NAMESPACE, _BAD_ACK_ID, _BAD_PAYLOAD, _BAD_EVENT_NAME,
 * _RESERVED_EVENT), and LADDER_ERR_SIO_UNENCODABLE when the data cannot be serialized (a cycle, a BigInt, a
 * throwing toJSON).
 */
export function encodeSocketPacket(packet: SocketPacket): Array<string | Uint8Array> {
  const type = packet.type;
  if (type !== 0 && type !== 1 && type !== 2 && type !== 3 && type !== 4 && type !== 5 && type !== 6) {
    throw new ProtocolError("LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE", describe(type));
  }
  const nsp = packet.nsp;
  if (nsp !== lastValidNamespace) {
    assertNamespace(nsp);
    lastValidNamespace = nsp;
  }
  const id = packet.id;
  if (id !== undefined) {
    if (!takesAckId(type)) {
      throw new ProtocolError("LADDER_ERR_SIO_BAD_ACK_ID", "only EVENT and ACK packets carry an ack id");
    }
    if (!isAckId(id)) throw new ProtocolError("LADDER_ERR_SIO_BAD_ACK_ID", describe(id));
  } else if (type === 3 || type === 6) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_ACK_ID", "an ACK must carry the id it answers");
  }
  const data = packet.data;
  assertData(type, data);

  try {
    if (type >= 2 && type !== 4 && hasBinary(data)) {
      const split = deconstructPacket(packet);
      const p = split.packet;
      const json = JSON.stringify(p.data);
      assertJsonShape(type, data, json);
      const out: Array<string | Uint8Array> = [header(p.type, split.buffers.length, nsp, id) + json];
      for (let i = 0; i < split.buffers.length; i++) out.push(split.buffers[i]!);
      return out;
    }
    const text = header(type === 5 ? 2 : type === 6 ? 3 : type, 0, nsp, id);
    if (data === undefined) return [text];
    const json: string | undefined = JSON.stringify(data);
    if (json === undefined) {
      if (type === 0) return [text];
      throw new ProtocolError("LADDER_ERR_SIO_UNENCODABLE", "the data serializes to nothing");
    }
    assertJsonShape(type, data, json);
    return [text + json];
  } catch (err) {
    if (isProtocolError(err)) throw err;
    throw new ProtocolError("LADDER_ERR_SIO_UNENCODABLE", err instanceof Error ? err.message : describe(err));
  }
}
