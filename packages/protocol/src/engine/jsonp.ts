/**
 * JSONP polling responses: for browsers that can neither use WebSocket nor make cross-origin XHR, the
 * client loads each poll as a `<script>` whose body calls `___eio[N]("<payload>");`. The index N comes
 * from the `j` query parameter, so it is attacker-controlled and is the one thing reflected into script;
 * the payload goes through as a JavaScript string literal.
 */
import { ProtocolError } from "../errors.js";

const MAX_INDEX_DIGITS = 10;
const HEAD = "___eio[";
const FOOT = ");";
const CHAR_0 = 48;
const CHAR_9 = 57;

/**
 * True when `index` is a JSONP callback index we are willing to write into a script: 1 to 10 ASCII digits,
 * without a leading zero (except `"0"` itself). Leading zeros are refused because `___eio[010]` is an
 * octal literal in sloppy-mode script and would call callback 8; clients send plain `String(n)`.
 */
export function isValidJsonpIndex(index: string): boolean {
  if (typeof index !== "string") return false;
  const length = index.length;
  if (length === 0 || length > MAX_INDEX_DIGITS) return false;
  if (length > 1 && index.charCodeAt(0) === CHAR_0) return false;
  for (let i = 0; i < length; i++) {
    const c = index.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return false;
  }
  return true;
}

/**
 * The body of a JSONP poll response: `___eio[N]("…");` with `payload` as a string literal that is valid
 * both as JSON and as JavaScript. JSON.stringify escapes quotes, backslashes, control characters (so the
 * record separator becomes `\u001e`) and lone surrogates; U+2028 and U+2029 are escaped on top because
 * they end a line inside an ES5 string literal. Other non-ASCII characters stay as they are (the response
 * is UTF-8).
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BAD_JSONP_INDEX` unless {@link isValidJsonpIndex}(index).
 */
export function encodeJsonpResponse(payload: string, index: string): string {
  if (!isValidJsonpIndex(index)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_INDEX", `refusing index ${JSON.stringify(index)}`);
  }
  return HEAD + index + "](" + toScriptString(payload) + FOOT;
}

function toScriptString(text: string): string {
  const json = JSON.stringify(text);
  // Two native scans cost less than a regular expression pass over a payload that rarely has either.
  if (json.indexOf("\u2028") === -1 && json.indexOf("\u2029") === -1) return json;
  return json.split("\u2028").join("\\u2028").split("\u2029").join("\\u2029");
}

/**
 * Reads back a script written by {@link encodeJsonpResponse} (or by engine.io's JSONP transport):
 * `___eio[N]("…");` → `{ index: "N", payload }`. The literal is parsed as JSON, never evaluated, so
 * anything but one double-quoted string between the parentheses is refused.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BAD_JSONP_INDEX` for an index that is not digits only;
 *   `LADDER_ERR_EIO_BAD_JSONP_RESPONSE` for any other deviation.
 */
export function decodeJsonpResponse(script: string): { index: string; payload: string } {
  if (typeof script !== "string" || script.lastIndexOf(HEAD, 0) !== 0) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_RESPONSE", "missing ___eio[");
  }
  const close = script.indexOf("](", HEAD.length);
  if (close === -1) throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_RESPONSE", "missing ](");
  const index = script.substring(HEAD.length, close);
  if (!isValidJsonpIndex(index)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_INDEX", `index ${JSON.stringify(index)}`);
  }
  const literalStart = close + 2;
  const literalEnd = script.length - FOOT.length;
  if (
    literalEnd - literalStart < 2 ||
    script.substring(literalEnd) !== FOOT ||
    script.charCodeAt(literalStart) !== 34 /* " */ ||
    script.charCodeAt(literalEnd - 1) !== 34
  ) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_RESPONSE", 'expected ("…");');
  }
  let payload: string;
  try {
    // Text that starts and ends with a double quote and parses as JSON is exactly one JSON string.
    payload = JSON.parse(script.substring(literalStart, literalEnd)) as string;
  } catch {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_RESPONSE", "the argument is not a JSON string");
  }
  return { index, payload };
}
