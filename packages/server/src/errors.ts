/**
 * The server's error registry. Two tables, one place:
 *
 * - {@link ENGINE_HTTP_ERRORS}: the Engine.IO numeric codes that go on the wire as `{"code":N,"message":"..."}`,
 *   with the HTTP status each one is answered with (the status lives next to the code, never in a second table).
 * - {@link SERVER_ERRORS}: stable `LADDER_ERR_*` codes for everything else the server reports (events, thrown
 *   errors, upgrade aborts), with the HTTP status where the error maps to one.
 */
export const ENGINE_HTTP_ERRORS = {
  0: { message: "Transport unknown", status: 400 },
  1: { message: "Session ID unknown", status: 400 },
  2: { message: "Bad handshake method", status: 400 },
  3: { message: "Bad request", status: 400 },
  4: { message: "Forbidden", status: 403 },
  5: { message: "Unsupported protocol version", status: 400 },
} as const;

/** One of the Engine.IO HTTP error codes 0..5. */
export type EngineErrorCode = keyof typeof ENGINE_HTTP_ERRORS;

/** Named aliases so code reads `EngineErrorCodes.UNKNOWN_SID` instead of a bare `1`. */
export const EngineErrorCodes = {
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const satisfies Record<string, EngineErrorCode>;

export const SERVER_ERRORS = {
  LADDER_ERR_PAYLOAD_TOO_LARGE: {
    description: "the request body is larger than maxHttpBufferSize",
    status: 413,
  },
  LADDER_ERR_BINARY_POST: {
    description: "polling POST bodies must be text, not application/octet-stream",
    status: 400,
  },
  LADDER_ERR_REQUEST_OVERLAP: { description: "a second concurrent GET or POST on one session", status: 400 },
  LADDER_ERR_BAD_UPGRADE: { description: "the WebSocket upgrade request is invalid", status: 400 },
  LADDER_ERR_ORIGIN_FORBIDDEN: { description: "the Origin header is not in allowedOrigins", status: 403 },
  LADDER_ERR_PARSE: { description: "the client sent bytes that are not valid Engine.IO", status: undefined },
  LADDER_ERR_CLIENT_PING: { description: "clients must not send pings in Engine.IO v4", status: undefined },
  LADDER_ERR_POLL_ABORTED: { description: "the client closed a pending request", status: undefined },
  LADDER_ERR_TRANSPORT: { description: "the underlying transport failed", status: undefined },
  LADDER_ERR_BUFFER_OVERFLOW: {
    description: "the session write buffer reached maxBufferedPackets",
    status: undefined,
  },
  LADDER_ERR_ALLOW_REQUEST: { description: "allowRequest threw or rejected", status: 403 },
} as const;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** An error raised by the server; `code` is stable, `status` is the HTTP status where there is one. */
export class LadderServerError extends Error {
  override readonly name = "LadderServerError";
  readonly code: ServerErrorCode;
  readonly status: number | undefined;

  constructor(code: ServerErrorCode, detail?: string) {
    const entry = SERVER_ERRORS[code];
    super(detail ? `${entry.description}: ${detail}` : entry.description);
    this.code = code;
    this.status = entry.status;
  }
}
