/**
 * The wire frames the raw load clients write, by hand, for each mode: plain text for raw ws, `4…` Engine.IO
 * messages, and `42[…]` Socket.IO events on the main namespace.
 */
import type { WireMode } from "../servers/registry.js";

export function messageFrame(mode: WireMode, text: string): string {
  return mode === "ws" ? text : `4${text}`;
}

export function echoFrame(mode: WireMode, payload: string): string {
  return mode === "sio" ? `42["echo","${payload}"]` : messageFrame(mode, payload);
}

/** Is this incoming frame the echo of what echoFrame sent (as opposed to a ping or a server event)? */
export function isEcho(mode: WireMode, frame: string): boolean {
  if (mode === "ws") return true;
  if (mode === "eio") return frame.charCodeAt(0) === 0x34; // "4"
  return frame.startsWith('42["echo"');
}

export function triggerFrame(mode: WireMode): string {
  return mode === "sio" ? '42["bcast"]' : messageFrame(mode, "b");
}

/** An application message (not a ping, not the handshake). */
export function isMessage(mode: WireMode, frame: string): boolean {
  if (mode === "ws") return true;
  if (mode === "eio") return frame.charCodeAt(0) === 0x34;
  return frame.charCodeAt(0) === 0x34 && frame.charCodeAt(1) === 0x32; // "42"
}

/** Is this the server's "hello" (the connect-rate scenario's first event)? */
export function isHello(mode: WireMode, frame: string): boolean {
  if (mode === "ws") return frame === "hello";
  if (mode === "eio") return frame === "4hello";
  return frame === '42["hello"]';
}

/** The send timestamp in a streamed message: `m<ms>` (ws), `4m<ms>` (eio), `42["m",<ms>]` (sio); NaN if not one. */
export function streamTimestamp(mode: WireMode, frame: string): number {
  if (mode === "ws") return frame.charCodeAt(0) === 0x6d ? Number(frame.slice(1)) : Number.NaN;
  if (mode === "eio") return frame.charCodeAt(1) === 0x6d ? Number(frame.slice(2)) : Number.NaN;
  return frame.startsWith('42["m",') ? Number.parseFloat(frame.slice(7)) : Number.NaN;
}
