import { assign } from "./url.js";

/**
 * Every error the client creates carries a stable string `code` (never a message to parse). Errors are plain
 * `Error` objects with extra fields rather than a subclass: subclassing Error does not survive the ES5 down-level
 * of the legacy bundle (instanceof breaks), while `err.code` always works.
 */
export const CLIENT_ERRORS = {
  LADDER_ERR_CLIENT_TIMEOUT: "the connection was not established in time",
  LADDER_ERR_CLIENT_TRANSPORT: "the transport failed",
  LADDER_ERR_CLIENT_NO_TRANSPORT: "no usable transport in this environment",
  LADDER_ERR_CLIENT_PARSE: "the server sent data that could not be decoded",
  LADDER_ERR_CLIENT_PROBE: "the upgrade probe failed",
  LADDER_ERR_CLIENT_ACK_TIMEOUT: "operation has timed out",
  LADDER_ERR_CLIENT_DISCONNECTED: "socket has been disconnected",
  LADDER_ERR_CLIENT_CONNECT_REFUSED: "the server refused the namespace connection",
  LADDER_ERR_CLIENT_RESERVED_EVENT: "the event name is reserved",
  LADDER_ERR_CLIENT_NO_PROMISE: "Promise is not available in this environment; use the callback form",
  LADDER_ERR_CLIENT_INVALID_STATE: "the socket is not in a state that allows this operation",
  LADDER_ERR_CLIENT_INVALID_ACCESS: "close code must be 1000 or in 3000-4999",
  LADDER_ERR_CLIENT_CLOSE_REASON: "close reason longer than 123 UTF-8 bytes",
} as const;

/** A stable client error code. */
export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

/** An Error with a stable code; `data` holds what the server sent (connect_error) and `cause` the underlying error. */
export interface LadderClientError extends Error {
  code: ClientErrorCode;
  description?: unknown;
  data?: unknown;
  context?: unknown;
  type?: string;
}

/** Creates a {@link LadderClientError}; `message` defaults to the code's description. */
export function clientError(
  code: ClientErrorCode,
  message?: string,
  extra?: Record<string, unknown>,
): LadderClientError {
  // The browser bundles blank the descriptions (scripts/bundle.mjs): the code is the message there.
  const err = new Error(message || CLIENT_ERRORS[code] || code) as LadderClientError;
  err.code = code;
  return assign(err, extra);
}
