/**
 * The browser bundles' stand-in for ../errors.ts (the client's bundle script maps that module here for the whole
 * protocol package): the same stable `code`s and `name`, but the message is the code — the description table is
 * documentation and stays out of the bundles.
 *
 * ProtocolError is a constructor function rather than a class: a class extending Error, down-levelled to ES5
 * for the legacy bundle, yields plain Error objects and `instanceof ProtocolError` fails there.
 */
import type { ProtocolErrorCode } from "../errors.js";

/** Empty in the bundles: descriptions are documentation (see ../errors.ts). */
export const PROTOCOL_ERRORS: { [code: string]: string } = {};

/** A rejected input with a stable `code`; `message` is the code. */
export interface ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
}

interface ProtocolErrorConstructor {
  new (code: ProtocolErrorCode, detail?: string): ProtocolError;
  prototype: ProtocolError;
}

export const ProtocolError = function ProtocolError(this: { code: string; message: string }, code: string) {
  this.code = this.message = code;
} as unknown as ProtocolErrorConstructor;
ProtocolError.prototype = Object.create(Error.prototype);
(ProtocolError.prototype as { name: string }).name = "ProtocolError";

/** True when `err` is a ProtocolError (also from another copy of the codecs, by shape). */
export function isProtocolError(err: unknown): err is ProtocolError {
  return (
    !!err &&
    (err as { name?: unknown }).name === "ProtocolError" &&
    typeof (err as { code?: unknown }).code === "string"
  );
}
