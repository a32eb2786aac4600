/**
 * One face for both codec implementations so the protocol scenario times the same operations on each.
 * Engine.IO packets use the shared `{ type, data }` shape; Socket.IO packets use `{ type, nsp, id?, data? }`.
 */
export interface EioPacket {
  type: "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop";
  data?: string | Uint8Array;
}

export interface SioPacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

export interface CodecImpl {
  encodePacket(packet: EioPacket, supportsBinary: boolean): string | Uint8Array;
  decodePacket(data: string | Uint8Array): unknown;
  encodePayload(packets: EioPacket[]): string;
  decodePayload(payload: string): unknown[];
  encodeSocket(packet: SioPacket): unknown[];
  /** Feeds every chunk to one long-lived decoder (as a server does per client) and returns the packet. */
  decodeSocket(chunks: ReadonlyArray<string | Uint8Array>): unknown;
}

/** Either a ready implementation or why it cannot run (printed in the table). */
export type CodecLoad =
  | {
      impl: CodecImpl;
      /** Switches Ladder's process-wide host base64 codec (Node's Buffer, as the server installs it) on or off. */
      hostBase64?: (on: boolean) => void;
    }
  | { skipped: string };
