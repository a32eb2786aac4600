import { ProtocolError } from "../errors.js";
import { isReservedEvent, MAX_NAMESPACE_LENGTH, type SocketPacketTypeCode } from "./types.js";

/** 2^53 - 1, spelled out because Number.MAX_SAFE_INTEGER is not in ES5. */
export const MAX_ACK_ID = 9007199254740991;

/** True for a code unit that must never appear in a namespace: C0 controls, DEL and C1 controls. */
export function isControlCode(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * Throws LADDER_ERR_SIO_BAD_NAMESPACE unless `nsp` can travel in a packet header and come back unchanged:
 * a string starting with "/", at most {@link MAX_NAMESPACE_LENGTH} code units, no control characters and no
 * "," (the comma ends the namespace on the wire).
 */
export function assertNamespace(nsp: unknown): asserts nsp is string {
  if (typeof nsp !== "string" || nsp.charCodeAt(0) !== 0x2f) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_NAMESPACE", "a namespace must be a string starting with /");
  }
  if (nsp.length > MAX_NAMESPACE_LENGTH) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_NAMESPACE", `longer than ${MAX_NAMESPACE_LENGTH} characters`);
  }
  for (let i = 1; i < nsp.length; i++) {
    const c = nsp.charCodeAt(i);
    if (c === 0x2c || isControlCode(c)) {
      throw new ProtocolError("LADDER_ERR_SIO_BAD_NAMESPACE", `character code ${c} at ${i}`);
    }
  }
}

/** True for a number that can be an ack id: an integer in [0, 2^53 - 1]. */
export function isAckId(id: unknown): id is number {
  return typeof id === "number" && id >= 0 && id <= MAX_ACK_ID && Math.floor(id) === id;
}

/** True for types whose header may carry an ack id (EVENT, ACK and their binary forms). */
export function takesAckId(type: SocketPacketTypeCode): boolean {
  return type === 2 || type === 3 || type === 5 || type === 6;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Throws unless `data` has the shape `type` requires (`undefined` means "no data"):
 * CONNECT: absent or an object · DISCONNECT: absent · CONNECT_ERROR: an object or a string ·
 * ACK: an array · EVENT: a non-empty array whose first element is a number or a non-reserved string.
 */
export function assertData(type: SocketPacketTypeCode, data: unknown): void {
  switch (type) {
    case 0:
      if (data !== undefined && !isPlainObject(data)) {
        throw new ProtocolError("LADDER_ERR_SIO_BAD_PAYLOAD", "CONNECT data must be an object");
      }
      return;
    case 1:
      if (data !== undefined) {
        throw new ProtocolError("LADDER_ERR_SIO_BAD_PAYLOAD", "DISCONNECT carries no data");
      }
      return;
    case 4:
      if (typeof data !== "string" && !isPlainObject(data)) {
        throw new ProtocolError(
          "LADDER_ERR_SIO_BAD_PAYLOAD",
          "CONNECT_ERROR data must be an object or a string",
        );
      }
      return;
    case 3:
    case 6:
      if (!Array.isArray(data)) {
        throw new ProtocolError("LADDER_ERR_SIO_BAD_PAYLOAD", "ACK data must be an array");
      }
      return;
    default:
      assertEventData(data);
  }
}

function assertEventData(data: unknown): void {
  if (!Array.isArray(data) || data.length === 0) {
    throw new ProtocolError("LADDER_ERR_SIO_BAD_PAYLOAD", "EVENT data must be a non-empty array");
  }
  const name: unknown = data[0];
  if (typeof name === "string") {
    if (isReservedEvent(name)) throw new ProtocolError("LADDER_ERR_SIO_RESERVED_EVENT", name);
  } else if (typeof name !== "number" || name - name !== 0) {
    // `name - name !== 0` is the ES5-safe "not finite" (NaN and ±Infinity give NaN); JSON never yields them.
    throw new ProtocolError("LADDER_ERR_SIO_BAD_EVENT_NAME", `got ${name === null ? "null" : typeof name}`);
  }
}
