/**
 * Socket-layer error codes (Socket.IO on top of the engine). Codes are stable strings; the description is the
 * documentation. Errors that reach a client over the wire say so next to the code.
 */
export const SOCKET_ERRORS = {
  /** The message sent to the client as CONNECT_ERROR `44/<nsp>,{"message":"Invalid namespace"}`. */
  LADDER_ERR_SOCKET_INVALID_NAMESPACE: "Invalid namespace",
  LADDER_ERR_SOCKET_RESERVED_EVENT: "the event name is reserved and cannot be emitted",
  /** Ack callbacks after `timeout(ms)` receive this (message as socket.io's). */
  LADDER_ERR_SOCKET_ACK_TIMEOUT: "operation has timed out",
  /** Pending error-first ack callbacks receive this when the socket disconnects. */
  LADDER_ERR_SOCKET_DISCONNECTED: "socket has been disconnected",
  LADDER_ERR_SOCKET_BAD_OPTIONS: "invalid Server options",
} as const;

export type SocketErrorCode = keyof typeof SOCKET_ERRORS;

/** An error raised by the socket layer. `code` is stable; `message` is for humans. */
export class SocketError extends Error {
  override readonly name = "SocketError";
  readonly code: SocketErrorCode;
  /** Extra data; for middleware errors this is what reaches the client as `err.data`. */
  data?: unknown;

  constructor(code: SocketErrorCode, detail?: string) {
    super(detail ? `${SOCKET_ERRORS[code]}: ${detail}` : SOCKET_ERRORS[code]);
    this.code = code;
  }
}
