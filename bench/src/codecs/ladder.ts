import type { CodecImpl, CodecLoad, EioPacket, SioPacket } from "./types.js";

/** The host base64 codec the Node server installs (@ladder/server's installNodeBase64 does the same). */
const NODE_BASE64 = {
  encode: (bytes: Uint8Array): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
  decode: (text: string): Uint8Array => Buffer.from(text, "base64"),
};

/**
 * Ladder's codecs from the BUILT @ladder/protocol. The module is read as a plain record and every export is
 * checked, so the harness keeps working (and says what is missing) while the package is being written.
 */
interface LadderSocketDecoder {
  add(chunk: string | Uint8Array): unknown;
}

const NEEDED = [
  "encodePacket",
  "decodePacket",
  "encodePayload",
  "decodePayload",
  "encodeSocketPacket",
  "SocketDecoder",
] as const;

export async function loadLadder(): Promise<CodecLoad> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import("@ladder/protocol")) as Record<string, unknown>;
  } catch (err) {
    return { skipped: `not available yet: @ladder/protocol does not load (${(err as Error).message})` };
  }
  const missing = NEEDED.filter((name) => typeof mod[name] !== "function");
  if (missing.length > 0) {
    return {
      skipped: `not available yet: no ${missing[0]} in the built @ladder/protocol${missing.length > 1 ? ` (+${missing.length - 1} more)` : ""}`,
    };
  }
  const encodePacket = mod.encodePacket as (p: EioPacket, b: boolean) => string | Uint8Array;
  const decodePacket = mod.decodePacket as (d: string | Uint8Array) => unknown;
  const encodePayload = mod.encodePayload as (p: EioPacket[]) => string;
  const decodePayload = mod.decodePayload as (s: string) => unknown[];
  const encodeSocketPacket = mod.encodeSocketPacket as (p: SioPacket) => unknown[];
  const SocketDecoder = mod.SocketDecoder as new () => LadderSocketDecoder;
  const decoder = new SocketDecoder();
  const impl: CodecImpl = {
    encodePacket,
    decodePacket,
    encodePayload,
    decodePayload,
    encodeSocket: encodeSocketPacket,
    decodeSocket(chunks) {
      let packet: unknown = null;
      for (const chunk of chunks) packet = decoder.add(chunk);
      return packet;
    },
  };
  const useHostBase64 = mod.useHostBase64 as ((codec: typeof NODE_BASE64 | undefined) => void) | undefined;
  const load: CodecLoad = { impl };
  if (typeof useHostBase64 === "function") {
    load.hostBase64 = (on) => useHostBase64(on ? NODE_BASE64 : undefined);
  }
  return load;
}
