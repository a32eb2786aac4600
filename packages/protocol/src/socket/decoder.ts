import { ProtocolError } from "../errors.js";
import { isBinary } from "./binary.js";
import { collectPlaceholders, fillPlaceholders, type PlaceholderSlots } from "./placeholders.js";
import {
  DEFAULT_MAX_ATTACHMENTS,
  type DecoderOptions,
  MAX_NAMESPACE_LENGTH,
  type SocketPacket,
} from "./types.js";
import { assertData, isControlCode, MAX_ACK_ID, takesAckId } from "./validate.js";

/** A count this long (no leading zero allowed) is at least 10^15: over any sane limit, so stop reading. */
const MAX_COUNT_DIGITS = 15;
/** 2^53 - 1 has 16 digits; a longer run of digits cannot be a safe ack id whatever it holds. */
const MAX_ID_DIGITS = 16;

/** A parsed text packet: the packet (type still 5/6 when attachments follow) and where buffers go. */
interface Header {
  packet: SocketPacket;
  attachments: number;
  slots: PlaceholderSlots | null;
}

function readAttachmentCount(str: string, start: number, maxAttachments: number): number {
  // The count is read with a bounded scan so a megabyte of digits costs the same as three.
  const len = str.length;
  let i = start;
  let n = 0;
  while (i < len && i - start <= MAX_COUNT_DIGITS) {
    const d = str.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    i++;
  }
  const digits = i - start;
  if (digits === 0) throw new ProtocolError("LADDER_ERR_SIO_BAD_ATTACHMENTS", "missing count");
  if (str.charCodeAt(start) === 48) {
    throw new ProtocolError(
      "LADDER_ERR_SIO_BAD_ATTACHMENTS",
      "the count must be positive, without leading zeros",
    );
  }
  if (digits > MAX_COUNT_DIGITS) {
    throw new ProtocolError("LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS", `more than ${maxAttachments}`);
  }
  if (str.charCodeAt(i) !== 0x2d) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_ATTACHMENTS", "the count must be followed by -");
  }
  if (n > maxAttachments) {
    throw new ProtocolError("LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS", `${n} > ${maxAttachments}`);
  }
  return n;
}

function parseHeader(str: string, maxAttachments: number): Header {
  const len = str.length;
  const type = str.charCodeAt(0) - 48;
  if (!(type >= 0 && type <= 6)) {
    throw new ProtocolError("LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE", len === 0 ? "empty packet" : str.charAt(0));
  }
  let i = 1;
  let attachments = 0;
  if (type >= 5) {
    attachments = readAttachmentCount(str, 1, maxAttachments);
    i = str.indexOf("-", 1) + 1;
  }

  let nsp = "/";
  if (str.charCodeAt(i) === 0x2f) {
    const start = i;
    const limit = Math.min(len, start + MAX_NAMESPACE_LENGTH);
    for (; i < limit; i++) {
      const c = str.charCodeAt(i);
      if (c === 0x2c) break;
      if (isControlCode(c)) {
        throw new ProtocolError("LADDER_ERR_SIO_BAD_NAMESPACE", `character code ${c} at ${i - start}`);
      }
    }
    if (i < len && str.charCodeAt(i) !== 0x2c) {
      throw new ProtocolError(
        "LADDER_ERR_SIO_BAD_NAMESPACE",
        `longer than ${MAX_NAMESPACE_LENGTH} characters`,
      );
    }
    nsp = str.slice(start, i);
    i++; // the comma (or past the end when the namespace ends the packet)
  }

  let id: number | undefined;
  const code = type as 0 | 1 | 2 | 3 | 4 | 5 | 6;
  if (takesAckId(code)) {
    const start = i;
    let n = 0;
    while (i < len && i - start <= MAX_ID_DIGITS) {
      const d = str.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      i++;
    }
    if (i > start) {
      if (i - start > MAX_ID_DIGITS || n > MAX_ACK_ID) {
        throw new ProtocolError("LADDER_ERR_SIO_BAD_ACK_ID", "above 2^53 - 1");
      }
      id = n;
    } else if (code === 3 || code === 6) {
      throw new ProtocolError("LADDER_ERR_SIO_BAD_ACK_ID", "an ACK must carry the id it answers");
    }
  }

  let data: unknown;
  if (i < len) {
    try {
      data = JSON.parse(str.slice(i));
    } catch {
      throw new ProtocolError("LADDER_ERR_SIO_BAD_JSON");
    }
  }
  assertData(code, data);

  const packet: SocketPacket = { type: code, nsp };
  if (id !== undefined) packet.id = id;
  if (data !== undefined) packet.data = data;
  const slots = attachments > 0 ? collectPlaceholders(data, attachments) : null;
  return { packet, attachments, slots };
}

function readMaxAttachments(options: DecoderOptions | undefined): number {
  const max = options?.maxAttachments;
  if (max === undefined) return DEFAULT_MAX_ATTACHMENTS;
  if (typeof max !== "number" || !(max >= 0) || Math.floor(max) !== max) {
    throw new RangeError("maxAttachments must be a non-negative integer");
  }
  return max;
}

/**
 * Incremental Socket.IO decoder for one connection. Feed it every Engine.IO message payload in order:
 * `add` returns the complete packet, or null while the binary attachments announced by a
 * BINARY_EVENT/BINARY_ACK header are still to come. Completed binary packets come out as EVENT/ACK with
 * each attachment (Uint8Array or ArrayBuffer, as received) in place of its placeholder.
 *
 * Anything invalid throws a ProtocolError (see docs/socket.md for each code) and resets the decoder, so a
 * half-received packet is never completed by later input.
 */
export class SocketDecoder {
  private readonly maxAttachments: number;
  private pending: Header | null = null;
  private buffers: Array<ArrayBuffer | ArrayBufferView> = [];

  constructor(options?: DecoderOptions) {
    this.maxAttachments = readMaxAttachments(options);
  }

  /** How many binary attachments the current packet still waits for (0 when idle). */
  get pendingAttachments(): number {
    return this.pending === null ? 0 : this.pending.attachments - this.buffers.length;
  }

  /**
   * Takes the next Engine.IO message payload: a string is a packet, binary (a Uint8Array/Buffer or an
   * ArrayBuffer, as the transport delivers it; any other view is accepted too) is the next attachment.
   */
  add(chunk: string | Uint8Array | ArrayBuffer): SocketPacket | null {
    try {
      if (typeof chunk === "string") {
        if (this.pending !== null) {
          throw new ProtocolError(
            "LADDER_ERR_SIO_UNEXPECTED_TEXT",
            `${this.pendingAttachments} attachment(s) still pending`,
          );
        }
        const header = parseHeader(chunk, this.maxAttachments);
        if (header.slots === null) return header.packet;
        this.pending = header;
        return null;
      }
      // Any ArrayBuffer or view is taken (also one from another realm, where instanceof would fail).
      if (!isBinary(chunk)) {
        throw new ProtocolError("LADDER_ERR_SIO_UNEXPECTED_BINARY", "neither a string nor binary data");
      }
      const pending = this.pending;
      if (pending === null) throw new ProtocolError("LADDER_ERR_SIO_UNEXPECTED_BINARY");
      this.buffers.push(chunk);
      if (this.buffers.length < pending.attachments) return null;
      const buffers = this.buffers;
      this.reset();
      fillPlaceholders(pending.slots!, buffers);
      const packet = pending.packet;
      packet.type = packet.type === 5 ? 2 : 3;
      return packet;
    } catch (err) {
      this.reset();
      throw err;
    }
  }

  /** Drops any half-received packet (call it when the connection closes). */
  reset(): void {
    this.pending = null;
    this.buffers = [];
  }
}

/**
 * Decodes one text packet that needs no attachments. A valid BINARY_EVENT/BINARY_ACK header is rejected with
 * LADDER_ERR_SIO_BAD_ATTACHMENTS, since its buffers can only arrive through a {@link SocketDecoder}.
 */
export function decodeSocketPacket(text: string, options?: DecoderOptions): SocketPacket {
  if (typeof text !== "string") throw new ProtocolError("LADDER_ERR_SIO_UNEXPECTED_BINARY");
  const header = parseHeader(text, readMaxAttachments(options));
  if (header.slots !== null) {
    throw new ProtocolError(
      "LADDER_ERR_SIO_BAD_ATTACHMENTS",
      `the packet announces ${header.attachments} attachment(s); decode it with a SocketDecoder`,
    );
  }
  return header.packet;
}
