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
    (value instanceof ArrayBuffer || isView(value))
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

/**
 * True when `value` holds binary anywhere, looking where JSON.stringify would look: own enumerable keys,
 * array elements, and the result of a `toJSON` method (a binary value is recognised before its own toJSON,
 * so a Buffer counts as binary). Cycles are not followed, so a circular structure returns instead of
 * recursing forever (the encoder reports it when it serializes).
 */
export function hasBinary(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return scan(value, "", [], true);
}

function scan(value: object, key: string | number, ancestors: object[], resolveToJSON: boolean): boolean {
  if (isBinary(value)) return true;
  if (resolveToJSON) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const replaced: unknown = (toJSON as ToJSON).call(value, "" + key);
      return typeof replaced === "object" && replaced !== null && scan(replaced, key, ancestors, false);
    }
  }
  if (ancestors.indexOf(value) !== -1) return false;
  ancestors.push(value);
  let found = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && scan(item, i, ancestors, true)) {
        found = true;
        break;
      }
    }
  } else {
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const item: unknown = (value as Record<string, unknown>)[k];
      if (typeof item === "object" && item !== null && scan(item, k, ancestors, true)) {
        found = true;
        break;
      }
    }
  }
  ancestors.pop();
  return found;
}
