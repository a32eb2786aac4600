/**
 * Binary normalisation. Engine.IO binary arrives as whatever the host hands us — a Node Buffer, a
 * WebSocket ArrayBuffer, a DataView, any typed array — and the codecs work on one shape: Uint8Array.
 */

// Old browsers the legacy bundle still serves (IE9 and earlier) have no typed arrays at all; a bare
// `x instanceof ArrayBuffer` would throw a ReferenceError there even for purely textual traffic.
const HAS_ARRAY_BUFFER = typeof ArrayBuffer !== "undefined";
const HAS_IS_VIEW = HAS_ARRAY_BUFFER && typeof ArrayBuffer.isView === "function";

/** Binary data as Engine.IO accepts it: an ArrayBuffer or any view on one (a Node Buffer is a Uint8Array). */
export type BinaryLike = Uint8Array | ArrayBuffer | ArrayBufferView;

/** True for an ArrayBuffer or any ArrayBuffer view (typed array, DataView, Node Buffer). */
export function isBinary(value: unknown): value is BinaryLike {
  if (!HAS_ARRAY_BUFFER || typeof value !== "object" || value === null) return false;
  if (value instanceof ArrayBuffer) return true;
  if (HAS_IS_VIEW) return ArrayBuffer.isView(value);
  // IE10 has typed arrays without ArrayBuffer.isView.
  const candidate = value as { buffer?: unknown; byteOffset?: unknown; byteLength?: unknown };
  return (
    candidate.buffer instanceof ArrayBuffer &&
    typeof candidate.byteOffset === "number" &&
    typeof candidate.byteLength === "number"
  );
}

/**
 * The bytes of `data` as a Uint8Array. A Uint8Array (including a Node Buffer) is returned as it is; an
 * ArrayBuffer or another view gets a Uint8Array over the same memory. Nothing is copied, so the result
 * aliases the input.
 */
export function toUint8Array(data: BinaryLike): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
