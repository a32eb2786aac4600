import type { EnginePacket, Handshake } from "@ladder/protocol";
import type { LadderClientError } from "../errors.js";
import type { CloseDetails, Transport } from "../transports/transport.js";

/** What the application can send: text, or binary in any form. */
export type EngineData = string | ArrayBuffer | ArrayBufferView;

/** Events of an {@link EngineSocket}. */
export type EngineSocketEvents = {
  open: [];
  handshake: [handshake: Handshake];
  message: [data: string | ArrayBuffer | Uint8Array];
  packet: [packet: EnginePacket];
  packetCreate: [packet: EnginePacket];
  ping: [];
  flush: [];
  drain: [];
  /** The probe of a better transport answered; the switch is under way (the transport object, as engine.io-client). */
  upgrading: [transport: Transport];
  /** The session now runs on this transport (the transport object, as engine.io-client; `.name` is its name). */
  upgrade: [transport: Transport];
  upgradeError: [err: LadderClientError];
  error: [err: LadderClientError];
  close: [reason: string, details?: CloseDetails | LadderClientError];
};

/** The session's lifecycle, as engine.io-client names it. */
export type EngineState = "opening" | "open" | "closing" | "closed";
