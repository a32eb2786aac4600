import { hasOwn } from "./engine/own.js";

/**
 * Every rejection the protocol package makes is a {@link ProtocolError} with one of these stable codes.
 * Codes never change meaning; new ones are only added. Each code's description is the documentation
 * (a test checks that every code appears in packages/protocol/docs/*.md).
 */
export const PROTOCOL_ERRORS = {
  // Engine.IO packets and payloads
  LADDER_ERR_EIO_EMPTY_PACKET: "an Engine.IO packet must not be empty",
  LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE: "unknown Engine.IO packet type",
  LADDER_ERR_EIO_BAD_BASE64: "invalid base64 in a binary packet",
  LADDER_ERR_EIO_BAD_HANDSHAKE: "the open packet is not a valid Engine.IO v4 handshake",
  LADDER_ERR_EIO_PAYLOAD_TOO_LARGE: "the payload holds more packets than allowed",
  LADDER_ERR_EIO_BINARY_NOT_MESSAGE: "only message packets may carry binary data",
  LADDER_ERR_EIO_BAD_JSONP_INDEX: "the JSONP callback index must be digits only",
  LADDER_ERR_EIO_BAD_JSONP_BODY: "the JSONP POST body is not a form-encoded d= field",
  LADDER_ERR_EIO_BAD_JSONP_RESPONSE: "the JSONP response is not a ___eio[N](<JSON string>); script",
  LADDER_ERR_UTF8_INVALID: "invalid UTF-8 byte sequence",
  // Socket.IO packets
  LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE: "unknown Socket.IO packet type",
  LADDER_ERR_SIO_BAD_NAMESPACE: "malformed Socket.IO namespace",
  LADDER_ERR_SIO_BAD_ACK_ID: "the ack id is not a safe non-negative integer",
  LADDER_ERR_SIO_BAD_ATTACHMENTS: "the attachment count is missing, negative, non-numeric or malformed",
  LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS: "the attachment count is above the configured limit",
  LADDER_ERR_SIO_BAD_JSON: "the packet data is not valid JSON",
  LADDER_ERR_SIO_BAD_PAYLOAD: "the packet data does not have the shape its type requires",
  LADDER_ERR_SIO_BAD_EVENT_NAME: "the event name is not a string or a number",
  LADDER_ERR_SIO_RESERVED_EVENT: "the event name is reserved",
  LADDER_ERR_SIO_BAD_PLACEHOLDER: "a binary placeholder is malformed or points outside the attachments",
  LADDER_ERR_SIO_UNEXPECTED_BINARY: "binary data arrived with no pending binary packet header",
  LADDER_ERR_SIO_UNEXPECTED_TEXT: "a text packet arrived while binary attachments were still pending",
  LADDER_ERR_SIO_UNENCODABLE: "the packet cannot be encoded (for example a circular structure)",
  // Streaming (multipart/x-mixed-replace) framing
  LADDER_ERR_STREAM_BAD_BOUNDARY: "the multipart boundary is not a valid Ladder boundary",
  LADDER_ERR_STREAM_BAD_PART_HEADER: "a multipart part header is malformed",
  LADDER_ERR_STREAM_PART_TOO_LARGE: "a multipart part is larger than allowed",
  LADDER_ERR_STREAM_MISSING_DELIMITER: "a multipart part is not followed by the boundary delimiter",
} as const;

export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;

/** A rejected input. `code` is stable and documented; `message` is for humans. */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, detail?: string) {
    super(detail ? `${PROTOCOL_ERRORS[code]}: ${detail}` : PROTOCOL_ERRORS[code]);
    this.code = code;
  }
}

/** True when `err` is a {@link ProtocolError} (also across bundle copies, by shape). */
export function isProtocolError(err: unknown): err is ProtocolError {
  return (
    err instanceof ProtocolError ||
    (typeof err === "object" &&
      err !== null &&
      (err as { name?: unknown }).name === "ProtocolError" &&
      typeof (err as { code?: unknown }).code === "string" &&
      hasOwn(PROTOCOL_ERRORS, (err as { code: string }).code))
  );
}
