import { ProtocolError, type ProtocolErrorCode } from "../errors.js";

/**
 * Binary detection for the Socket.IO layer. "Binary" means an ArrayBuffer or any ArrayBuffer view (every
 * typed array, DataView, Node's Buffer). Blob/File are not handled here: they cannot be read synchronously,
 * so a browser caller converts them to ArrayBuffer before emitting.
 */

const hasArrayBuffer = typeof ArrayBuffer === "function";

// ArrayBuffer.isView also recognises views from other realms (iframes, vm contexts); the fallback covers
// engines that have typed arrays but not isView.
const isView: (value: object) => boolean =
  hasArrayBuffer && typeof ArrayBuffer.isView === "function"
    ? ArrayBuffer.isView
    : (value) => hasArrayBuffer && (value as { buffer?: unknown }).buffer instanceof ArrayBuffer;

/** True when `value` itself is an ArrayBuffer or an ArrayBuffer view. */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return (
    hasArrayBuffer &&
    typeof value === "object" &&
    value !== null &&
    (isView(value) || value instanceof ArrayBuffer)
  );
}

/** The bytes of a binary value as a Uint8Array, without copying (a Uint8Array, Buffer included, is returned as is). */
export function toBytes(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (isView(value)) {
    const view = value as ArrayBufferView;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  return new Uint8Array(value as ArrayBuffer);
}

type ToJSON = (this: unknown, key: string) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Cycle detection without paying for it on ordinary data: the walk only counts its depth until it is
 * {@link TRACK_FROM_DEPTH} levels deep, and from there on keeps the objects on its path and stops at the
 * first repeat. A cycle is always followed depth-first until it repeats, so it is found after a bounded
 * amount of work; stopping the whole walk (not just the branch) keeps a branching cycle such as
 * `a = [a, a]` from multiplying that work. Legitimate data is rarely this deep, and deeper data only pays
 * an ancestor check per level below the threshold.
 */
export const TRACK_FROM_DEPTH = 32;

/** Thrown inside a walk to abandon it when a cycle is found. */
const CYCLE = { cycle: true };

/**
 * Returns the path to pass to the children of `value`. When `value` is its own ancestor it throws a
 * ProtocolError with `cycleCode`, or (null) the private sentinel that {@link hasBinary} catches.
 */
export function descend(
  value: object,
  depth: number,
  path: object[] | null,
  cycleCode: ProtocolErrorCode | null,
): object[] | null {
  if (depth < TRACK_FROM_DEPTH) return null;
  const next = path === null ? [] : path;
  if (next.indexOf(value) !== -1) {
    throw cycleCode === null ? CYCLE : new ProtocolError(cycleCode, "circular structure");
  }
  next.push(value);
  return next;
}

/**
 * True when `value` holds binary anywhere, looking where JSON.stringify would look: own enumerable keys,
 * array elements, and the result of a `toJSON` method (a binary value is recognised before its own toJSON,
 * so a Buffer counts as binary). On a circular structure it stops and returns false unless binary was met
 * before the cycle (the encoder then reports the cycle when it serializes).
 */
export function hasBinary(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  try {
    return scan(value, "", true, 0, null);
  } catch (err) {
    if (err === CYCLE) return false;
    throw err;
  }
}

function scan(
  value: object,
  key: string | number,
  resolveToJSON: boolean,
  depth: number,
  path: object[] | null,
): boolean {
  const isArray = Array.isArray(value);
  if (!isArray && isBinary(value)) return true;
  if (resolveToJSON) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const replaced: unknown = (toJSON as ToJSON).call(value, "" + key);
      return typeof replaced === "object" && replaced !== null && scan(replaced, key, false, depth, path);
    }
  }
  const childPath = descend(value, depth, path, null);
  let found = false;
  if (isArray) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      const item: unknown = array[i];
      if (typeof item === "object" && item !== null && scan(item, i, true, depth + 1, childPath)) {
        found = true;
        break;
      }
    }
  } else {
    // for-in + own check visits the same keys as Object.keys without allocating the key array.
    for (const k in value) {
      if (hasOwn.call(value, k)) {
        const item: unknown = (value as Record<string, unknown>)[k];
        if (typeof item === "object" && item !== null && scan(item, k, true, depth + 1, childPath)) {
          found = true;
          break;
        }
      }
    }
  }
  if (childPath !== null) childPath.pop();
  return found;
}
