import { expect } from "chai";
import { isProtocolError, type ProtocolErrorCode } from "../src/errors.js";
import { SocketDecoder } from "../src/socket/index.js";
import type { SocketPacket } from "../src/socket/types.js";

/** Runs `fn` and asserts it throws a ProtocolError with exactly `code`. */
export function expectCode(fn: () => unknown, code: ProtocolErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code}`).to.not.equal(undefined);
  expect(isProtocolError(thrown), `not a ProtocolError: ${String(thrown)}`).to.equal(true);
  expect((thrown as { code: string }).code).to.equal(code);
}

/** Feeds every chunk to a fresh decoder; asserts only the last one completes the packet. */
export function decodeAll(chunks: ReadonlyArray<string | Uint8Array | ArrayBuffer>): SocketPacket {
  const decoder = new SocketDecoder();
  let packet: SocketPacket | null = null;
  for (let i = 0; i < chunks.length; i++) {
    packet = decoder.add(chunks[i]!);
    if (i < chunks.length - 1) expect(packet, `chunk ${i} completed the packet early`).to.equal(null);
  }
  expect(packet, "the last chunk did not complete the packet").to.not.equal(null);
  expect(decoder.pendingAttachments).to.equal(0);
  return packet!;
}
