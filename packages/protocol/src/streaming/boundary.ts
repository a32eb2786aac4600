import { ProtocolError } from "../errors.js";

/*
 * The boundary is a synchronisation check, not a security measure: parts are length-delimited, so no body
 * can forge it (docs/streaming.md). It is still random per response so that the stream stays valid MIME for
 * proxies and tools that do search for it.
 *
 * A Ladder boundary is 1..70 characters (RFC 2046) drawn from the characters that are both RFC 2046
 * "bchars" and RFC 2045 token characters: letters, digits and ' + _ - . — so it never needs quoting in the
 * Content-Type header and never contains a space, CR or LF.
 */
const BOUNDARY = /^[A-Za-z0-9'+_.-]{1,70}$/;

// 18 random bytes = 144 bits of entropy = exactly 24 base64url characters, no padding.
const BOUNDARY_RANDOM_BYTES = 18;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}
// Not in lib ES2022; looked up with typeof so that a runtime without Web Crypto fails cleanly.
declare const crypto: RandomSource | undefined;

function defaultRandom(size: number): Uint8Array {
  if (typeof crypto === "undefined" || !crypto || typeof crypto.getRandomValues !== "function") {
    throw new TypeError("createBoundary: no crypto.getRandomValues in this runtime; pass a random source");
  }
  return crypto.getRandomValues(new Uint8Array(size));
}

/**
 * A fresh boundary of 24 base64url characters (144 random bits) for one streaming response.
 * @param random returns `size` random bytes; defaults to `crypto.getRandomValues`.
 * @throws TypeError when no random source is given and the runtime has none, or when `random` returns
 *   fewer bytes than asked for.
 */
export function createBoundary(random: (size: number) => Uint8Array = defaultRandom): string {
  const bytes = random(BOUNDARY_RANDOM_BYTES);
  if (!bytes || bytes.length < BOUNDARY_RANDOM_BYTES) {
    throw new TypeError(`createBoundary: the random source must return ${BOUNDARY_RANDOM_BYTES} bytes`);
  }
  let out = "";
  for (let i = 0; i < BOUNDARY_RANDOM_BYTES; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      BASE64URL.charAt(triple >> 18) +
      BASE64URL.charAt((triple >> 12) & 63) +
      BASE64URL.charAt((triple >> 6) & 63) +
      BASE64URL.charAt(triple & 63);
  }
  return out;
}

/** True when `boundary` is a valid Ladder boundary (1..70 of `A-Z a-z 0-9 ' + _ - .`). */
export function isValidBoundary(boundary: string): boolean {
  return typeof boundary === "string" && BOUNDARY.test(boundary);
}

/** @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY */
export function assertBoundary(boundary: string): void {
  if (!isValidBoundary(boundary)) {
    throw new ProtocolError("LADDER_ERR_STREAM_BAD_BOUNDARY", JSON.stringify(String(boundary)).slice(0, 100));
  }
}

/**
 * The response Content-Type of a streaming response: `multipart/x-mixed-replace; boundary=<boundary>`.
 * @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY
 */
export function streamingContentType(boundary: string): string {
  assertBoundary(boundary);
  return `multipart/x-mixed-replace; boundary=${boundary}`;
}

// type/subtype, then the parameters. Parameter values are tokens or quoted strings without escapes (a
// valid boundary never needs one); anything else makes the header unusable for us.
const MEDIA_TYPE = /^[ \t]*multipart\/x-mixed-replace[ \t]*(;.*)?$/i;
const PARAMETER =
  /^[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*("[^"\\]*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*$/;

/**
 * The boundary from a response Content-Type, or null when the type is not `multipart/x-mixed-replace`,
 * the boundary parameter is absent, repeated, or not a valid Ladder boundary. Never throws.
 */
export function parseStreamingContentType(contentType: string): string | null {
  if (typeof contentType !== "string" || contentType.length > 1024) return null;
  const media = MEDIA_TYPE.exec(contentType);
  if (!media) return null;
  const params = media[1] ? media[1].slice(1).split(";") : [];
  let boundary: string | null = null;
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    // Tolerate an empty parameter (a trailing ";"), as browsers do.
    if (/^[ \t]*$/.test(param)) continue;
    const match = PARAMETER.exec(param);
    if (!match) return null;
    if (match[1]!.toLowerCase() !== "boundary") continue;
    if (boundary !== null) return null;
    let value = match[2]!;
    if (value.charAt(0) === '"') value = value.slice(1, -1);
    boundary = value;
  }
  return boundary !== null && isValidBoundary(boundary) ? boundary : null;
}
