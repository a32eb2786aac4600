import type { EnginePacket } from "@ladder/protocol";
import { transports } from "../registry.js";
import { addonKnown, runAddon } from "./streaming-addon-script.js";
import { Transport } from "./transport.js";

// The browser bundles' stand-in for the streaming transport (scripts/bundle.mjs puts it in place of streaming.ts
// in ladder.min.js and ladder.esm.js): the real one (parser, fetch reader) lives in an add-on beside the bundle
// (ladder.streaming.min.js, ladder.streaming.esm.js), loaded only when a session actually opens a streaming
// transport — after the WebSocket probe failed, or when WebSocket is missing. Most pages end on WebSocket and
// never load it. A page may also load the IIFE add-on itself with a <script> tag after ladder.min.js (a bundle
// inlined elsewhere, a CSP that lists every script): it then replaces this stand-in.

/** False once the add-on failed to load (no retry), or where this bundle cannot find it. */
let available = addonKnown;
/** Callbacks waiting for the add-on while it loads. */
let waiting: Array<(ok: boolean) => void> | null = null;

/** True where fetch bodies stream and the add-on can be loaded (or is already there). */
export function canStream(): boolean {
  const g = globalThis as { fetch?: unknown; ReadableStream?: unknown };
  return available && typeof g.fetch === "function" && typeof g.ReadableStream === "function";
}

/** Loads the add-on once for every session that asks; `done(ok)` when it ran (it then replaced this stand-in). */
function loadAddon(done: (ok: boolean) => void): void {
  if (waiting) {
    waiting.push(done);
    return;
  }
  waiting = [done];
  runAddon((loaded) => {
    // A file that loaded but did not replace the stand-in (an HTML error page...) failed as well; no retry after.
    const ok = loaded && transports.streaming!.available !== canStream;
    if (!ok) available = false;
    const list = waiting!;
    waiting = null;
    for (let i = 0; i < list.length; i++) list[i]!(ok);
  });
}

/**
 * The streaming transport until its code is here: loads the add-on on open, then carries the session through the
 * add-on's transport, passing its events and state through unchanged.
 */
export class Streaming extends Transport {
  readonly name = "streaming";
  override readonly batches = true;
  private _inner: Transport | null = null;

  protected doOpen(): void {
    loadAddon((ok) => {
      // Closed while the add-on loaded: nothing to open.
      if (this.readyState !== "opening") return;
      if (!ok) return this.onError("the streaming add-on (ladder.streaming.min.js) did not load");
      const t = transports.streaming!.create(this.opts);
      this._inner = t;
      t.on("open", () => this.onOpen())
        .on("packet", (packet) => this.onPacket(packet))
        .on("drain", () => {
          this.writable = true;
          this.emit("drain");
        })
        .on("error", (err) => this.emit("error", err))
        .on("close", (details) => this.onClose(details))
        .open();
    });
  }

  protected doClose(): void {
    if (this._inner) this._inner.off().close();
  }

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    this._inner!.send(packets);
  }

  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    this._inner!.pause(() => {
      this.readyState = "paused";
      onPause();
    });
  }

  override resume(): void {
    super.resume();
    this._inner!.resume();
  }
}
