/**
 * The handshake: the data of the open packet (`0{...}`). Official clients only read it, but the key set
 * and order are part of what "byte-identical to engine.io" means, so the JSON is written by hand.
 */
import { ProtocolError } from "../errors.js";
import { hasOwn } from "./own.js";

/** What the server tells a new session (the JSON of the open packet). */
export interface Handshake {
  /** Session id; the client sends it back as `sid` on every later request. */
  sid: string;
  /** Transports the session may upgrade to: `["websocket"]` on polling, `[]` on WebSocket. */
  upgrades: string[];
  /** Milliseconds between the server's pings. */
  pingInterval: number;
  /** Milliseconds the server waits for a pong. */
  pingTimeout: number;
  /** Largest payload the server accepts, in bytes. */
  maxPayload: number;
}

/**
 * The open packet's data (without the `0`): exactly `sid`, `upgrades`, `pingInterval`, `pingTimeout`,
 * `maxPayload`, in that order, whatever other properties `h` has.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BAD_HANDSHAKE` when a field has the wrong type (see
 *   {@link decodeHandshake}); a server must never announce what a client would reject.
 */
export function encodeHandshake(h: Handshake): string {
  checkHandshake(h.sid, h.upgrades, h.pingInterval, h.pingTimeout, h.maxPayload);
  return (
    '{"sid":' +
    JSON.stringify(h.sid) +
    ',"upgrades":' +
    JSON.stringify(h.upgrades) +
    ',"pingInterval":' +
    JSON.stringify(h.pingInterval) +
    ',"pingTimeout":' +
    JSON.stringify(h.pingTimeout) +
    ',"maxPayload":' +
    JSON.stringify(h.maxPayload) +
    "}"
  );
}

/**
 * Parses and validates the open packet's data: a JSON object with `sid` a non-empty string, `upgrades` an
 * array of strings and `pingInterval`, `pingTimeout`, `maxPayload` finite non-negative numbers. Other keys
 * are tolerated and dropped (a server may add its own); the result is a fresh object with the five fields.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BAD_HANDSHAKE`.
 */
export function decodeHandshake(data: string): Handshake {
  if (typeof data !== "string") throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "not text");
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "not a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const sid = own(record, "sid");
  const upgrades = own(record, "upgrades");
  const pingInterval = own(record, "pingInterval");
  const pingTimeout = own(record, "pingTimeout");
  const maxPayload = own(record, "maxPayload");
  checkHandshake(sid, upgrades, pingInterval, pingTimeout, maxPayload);
  return {
    sid: sid as string,
    upgrades: (upgrades as string[]).slice(),
    pingInterval: pingInterval as number,
    pingTimeout: pingTimeout as number,
    maxPayload: maxPayload as number,
  };
}

// Only own properties count: a handshake without `sid` must not find one on Object.prototype.
function own(record: Record<string, unknown>, key: string): unknown {
  return hasOwn(record, key) ? record[key] : undefined;
}

function checkHandshake(
  sid: unknown,
  upgrades: unknown,
  pingInterval: unknown,
  pingTimeout: unknown,
  maxPayload: unknown,
): void {
  if (typeof sid !== "string" || sid.length === 0) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "sid must be a non-empty string");
  }
  if (!Array.isArray(upgrades)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "upgrades must be an array");
  }
  for (let i = 0; i < upgrades.length; i++) {
    if (typeof upgrades[i] !== "string") {
      throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", "upgrades must hold strings only");
    }
  }
  checkNumber("pingInterval", pingInterval);
  checkNumber("pingTimeout", pingTimeout);
  checkNumber("maxPayload", maxPayload);
}

function checkNumber(name: string, value: unknown): void {
  // `value >= 0` is false for NaN; the upper bound rules out Infinity (isFinite is not needed).
  if (typeof value !== "number" || !(value >= 0 && value < Infinity)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_HANDSHAKE", `${name} must be a finite non-negative number`);
  }
}
