/**
 * Socket.IO v5 packet types. The numeric value is the first character of every packet on the wire.
 * BINARY_EVENT and BINARY_ACK only exist on the wire: the decoder hands them out as EVENT and ACK with the
 * binary values back in place.
 */
export const SocketPacketType = Object.freeze({
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const);

/** One of the {@link SocketPacketType} values. */
export type SocketPacketTypeCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * A Socket.IO packet as the socket layer sees it.
 *
 * - `nsp` is the namespace, always starting with `/` (`"/"` is the main namespace).
 * - `id` is the ack id: EVENT / BINARY_EVENT may carry one (the sender wants an acknowledgement), ACK /
 *   BINARY_ACK must carry the id they answer; other types never have one.
 * - `data` is the JSON payload (with binary values in place for EVENT and ACK).
 * - `attachments` is only set on a deconstructed binary packet (see `deconstructPacket`).
 */
export interface SocketPacket {
  type: SocketPacketTypeCode;
  nsp: string;
  id?: number;
  data?: unknown;
  attachments?: number;
}

/** Options of the Socket.IO decoder. */
export interface DecoderOptions {
  /** Most binary attachments one packet may announce (default 10, as the reference implementation). */
  maxAttachments?: number;
}

/** The default for {@link DecoderOptions.maxAttachments}. */
export const DEFAULT_MAX_ATTACHMENTS = 10;

/** Longest namespace (in UTF-16 code units) the codec accepts or produces. */
export const MAX_NAMESPACE_LENGTH = 1024;

/**
 * Event names the socket layer uses for itself; a peer must never be able to trigger them with an EVENT
 * packet. `error` is deliberately not here: it is an ordinary event name on the wire.
 */
export const RESERVED_EVENTS: readonly string[] = Object.freeze([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** True when `name` is one of {@link RESERVED_EVENTS}. */
export function isReservedEvent(name: string): boolean {
  // A switch compiles to a few length/character comparisons; no lookup object that `__proto__` could confuse.
  switch (name) {
    case "connect":
    case "connect_error":
    case "disconnect":
    case "disconnecting":
    case "newListener":
    case "removeListener":
      return true;
    default:
      return false;
  }
}
