import { createRequire } from "node:module";
import type { CodecImpl, EioPacket, SioPacket } from "./types.js";

/**
 * engine.io-parser 5.2.3 and socket.io-parser 4.2.7, loaded with require() because that is the build the
 * engine.io and socket.io servers themselves run in Node (the ESM "node" condition of socket.io-parser
 * points at its debug build).
 */
const require = createRequire(import.meta.url);

interface EngineIoParser {
  encodePacket(
    packet: EioPacket,
    supportsBinary: boolean,
    callback: (encoded: string | Uint8Array) => void,
  ): void;
  decodePacket(data: string | Uint8Array, binaryType?: string): unknown;
  encodePayload(packets: EioPacket[], callback: (payload: string) => void): void;
  decodePayload(payload: string, binaryType?: string): unknown[];
}

interface SocketIoDecoder {
  on(event: "decoded", listener: (packet: unknown) => void): void;
  add(chunk: string | Uint8Array): void;
}

interface SocketIoParser {
  Encoder: new () => { encode(packet: SioPacket): unknown[] };
  Decoder: new () => SocketIoDecoder;
}

export function loadReference(): CodecImpl {
  const eio = require("engine.io-parser") as EngineIoParser;
  const sio = require("socket.io-parser") as SocketIoParser;
  const encoder = new sio.Encoder();
  const decoder = new sio.Decoder();
  let decoded: unknown;
  decoder.on("decoded", (packet) => {
    decoded = packet;
  });
  return {
    encodePacket(packet, supportsBinary) {
      // The callback runs synchronously in the Node build.
      let out: string | Uint8Array = "";
      eio.encodePacket(packet, supportsBinary, (encoded) => {
        out = encoded;
      });
      return out;
    },
    decodePacket: (data) => eio.decodePacket(data, "nodebuffer"),
    encodePayload(packets) {
      let out = "";
      eio.encodePayload(packets, (payload) => {
        out = payload;
      });
      return out;
    },
    decodePayload: (payload) => eio.decodePayload(payload, "nodebuffer"),
    encodeSocket: (packet) => encoder.encode(packet),
    decodeSocket(chunks) {
      decoded = undefined;
      for (const chunk of chunks) decoder.add(chunk);
      return decoded;
    },
  };
}
