import type { BinaryType } from "./options.js";

interface BufferCtor {
  from(buffer: ArrayBuffer, byteOffset: number, length: number): Uint8Array;
}

/** The default binary type: Buffer in Node (what socket.io-client gives Node users), ArrayBuffer in browsers. */
export function defaultBinaryType(): BinaryType {
  const B = (globalThis as { Buffer?: BufferCtor }).Buffer;
  return B && typeof B.from === "function" ? "nodebuffer" : "arraybuffer";
}

/** Converts decoded bytes to what the application asked for. */
export function toBinaryType(bytes: Uint8Array, type: BinaryType): ArrayBuffer | Uint8Array {
  if (type === "uint8array") return bytes;
  if (type === "nodebuffer") {
    const B = (globalThis as { Buffer?: BufferCtor }).Buffer;
    if (B) return B.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
  const buf = bytes.buffer as ArrayBuffer;
  return bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength
    ? buf
    : buf.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** Any binary the user may send, as a Uint8Array view (no copy). */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const view = data as ArrayBufferView;
  // An ArrayBuffer has no `buffer`; any other view (typed array, DataView) gets a byte view of its range.
  return view.buffer
    ? new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength)
    : new Uint8Array(data as ArrayBuffer);
}
