/**
 * JSONP POST bodies. A JSONP client sends its packets as an HTML form (application/x-www-form-urlencoded)
 * with one field, `d`, holding the polling payload.
 *
 * Browsers normalise line breaks in submitted form fields to CRLF, so a JSONP client escapes newlines
 * before putting the payload in the field, and the server undoes it:
 *
 * - client: a backslash followed by `n` becomes `\\n` (backslash, backslash, n), and a line feed becomes
 *   `\n` (backslash, n);
 * - server, scanning left to right: `\\n` becomes `\n` again, and a `\n` not preceded by another
 *   backslash becomes a line feed; everything else is kept.
 *
 * That is the convention of engine.io's JSONP transport and of the engine.io-client 3.x JSONP code, so our
 * legacy client works against an official server and the other way round. It cannot express a backslash
 * followed by a line feed (it would come back as a backslash followed by `n`); {@link escapeJsonpNewlines}
 * therefore leaves a line feed that follows a backslash unescaped, which the server keeps as it is —
 * exact in an urlencoded XHR body, turned into CRLF by a real `<form>` submission.
 */
import { ProtocolError } from "../errors.js";

const BACKSLASH = 92;
const LF = 10;
const N = 110; // "n"

/**
 * The value a JSONP client puts in the `d` form field for `payload` (newlines escaped as described in the
 * module comment). Use it when posting through a real `<form>`; {@link encodeJsonpBody} is the whole body.
 */
export function escapeJsonpNewlines(payload: string): string {
  if (payload.indexOf("\n") === -1 && payload.indexOf("\\n") === -1) return payload;
  let out = "";
  let copied = 0; // payload[copied..i) is still to be appended
  const length = payload.length;
  for (let i = 0; i < length; i++) {
    const c = payload.charCodeAt(i);
    if (c === BACKSLASH && payload.charCodeAt(i + 1) === N) {
      // Double the backslash; the "n" is copied with the next slice.
      out += payload.substring(copied, i + 1) + "\\";
      copied = i + 1;
    } else if (c === LF && (i === 0 || payload.charCodeAt(i - 1) !== BACKSLASH)) {
      out += payload.substring(copied, i) + "\\n";
      copied = i + 1;
    }
  }
  return out + payload.substring(copied);
}

/**
 * The inverse of {@link escapeJsonpNewlines}, with exactly the server rule described in the module comment
 * (so it also reads what engine.io-client 3.x sent).
 */
export function unescapeJsonpNewlines(value: string): string {
  let next = value.indexOf("\\");
  if (next === -1) return value;
  let out = "";
  let copied = 0;
  while (next !== -1) {
    const i = next;
    if (value.charCodeAt(i + 1) === BACKSLASH && value.charCodeAt(i + 2) === N) {
      // `\\n` → `\n`: keep one backslash and the n.
      out += value.substring(copied, i + 1) + "n";
      copied = i + 3;
      next = value.indexOf("\\", i + 3);
    } else if (value.charCodeAt(i + 1) === N) {
      out += value.substring(copied, i) + "\n";
      copied = i + 2;
      next = value.indexOf("\\", i + 2);
    } else {
      next = value.indexOf("\\", i + 1);
    }
  }
  return out + value.substring(copied);
}

/**
 * The form-encoded body a JSONP client POSTs for `payload`: `d=` followed by the escaped payload
 * (see {@link escapeJsonpNewlines}) percent-encoded as UTF-8. Lone surrogates, which UTF-8 cannot carry,
 * become U+FFFD as in any browser form submission.
 */
export function encodeJsonpBody(payload: string): string {
  const value = escapeJsonpNewlines(payload);
  try {
    return "d=" + encodeURIComponent(value);
  } catch {
    // encodeURIComponent throws only on a lone surrogate.
    return "d=" + encodeURIComponent(replaceLoneSurrogates(value));
  }
}

/**
 * The payload of a JSONP POST body: the value of its single `d` field, with `+` read as a space,
 * %-escapes decoded as UTF-8 and the newline escaping undone. Other fields are ignored.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BAD_JSONP_BODY` when there is no `d` field, more than one, or the
 *   value has a malformed %-escape or encodes invalid UTF-8.
 */
export function decodeJsonpBody(body: string): string {
  if (typeof body !== "string") throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_BODY", "not text");
  let found: string | undefined;
  const length = body.length;
  let start = 0;
  while (start <= length) {
    let end = body.indexOf("&", start);
    if (end === -1) end = length;
    if (end > start) {
      let eq = body.indexOf("=", start);
      if (eq === -1 || eq > end) eq = end;
      if (formDecode(body, start, eq) === "d") {
        if (found !== undefined) {
          throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_BODY", "more than one d field");
        }
        found = eq < end ? formDecode(body, eq + 1, end) : "";
      }
    }
    start = end + 1;
  }
  if (found === undefined) throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_BODY", "no d field");
  return unescapeJsonpNewlines(found);
}

/** Decodes body[start..end) as one form-urlencoded name or value. */
function formDecode(body: string, start: number, end: number): string {
  let text = body.substring(start, end);
  if (text.indexOf("+") !== -1) text = text.split("+").join(" ");
  if (text.indexOf("%") === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_JSONP_BODY", "malformed %-escape or invalid UTF-8");
  }
}

function replaceLoneSurrogates(text: string): string {
  let out = "";
  let copied = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++; // a valid pair
        continue;
      }
    }
    out += text.substring(copied, i) + "\ufffd";
    copied = i + 1;
  }
  return out + text.substring(copied);
}
