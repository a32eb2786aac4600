import type { EnginePacket } from "@ladder/protocol";
import { transports } from "../registry.js";
import { Transport } from "./transport.js";

// The modern IIFE's stand-in for the streaming transport (scripts/bundle.mjs puts it in place of streaming.ts):
// the real one (parser, fetch reader) lives in ladder.streaming.min.js, next to ladder.min.js, and is fetched only
// when a session actually opens a streaming transport — after the WebSocket probe failed, or when WebSocket is
// missing. Most pages end on WebSocket and never load it. A page may also load the add-on itself with a <script>
// tag after ladder.min.js (a bundler that renames files, a strict CSP): it then replaces this stand-in.

interface ScriptElement {
  src: string;
  nonce?: string;
  onload: ((ev: { type: string }) => void) | null;
  onerror: ((ev: { type: string }) => void) | null;
}
interface Doc {
  currentScript?: { src?: string; nonce?: string } | null;
  createElement(tag: "script"): ScriptElement;
  head: { appendChild(el: ScriptElement): void; removeChild(el: ScriptElement): void };
}

const doc = (globalThis as { document?: Doc }).document;
// biome-ignore lint/complexity/useOptionalChain: smaller than `?.` once down-levelled (ES2018 has no `?.`)
const script = doc && doc.currentScript;
/** Where the add-on is: beside the script running this bundle (read while it runs); null once it failed to load. */
// biome-ignore lint/complexity/useOptionalChain: as above
let addonUrl = script && script.src ? script.src.replace(/[^/]*$/, "ladder.streaming.min.js") : null;
/** Callbacks waiting for the add-on while it loads. */
let waiting: Array<(ok: boolean) => void> | null = null;

/** True where fetch bodies stream and the add-on can be fetched (or is already there). */
export function canStream(): boolean {
  const g = globalThis as { fetch?: unknown; ReadableStream?: unknown };
  return !!addonUrl && typeof g.fetch === "function" && typeof g.ReadableStream === "function";
}

/** Loads the add-on once for every session that asks; `done(ok)` when it ran (it then replaced this stand-in). */
function loadAddon(done: (ok: boolean) => void): void {
  if (waiting) {
    waiting.push(done);
    return;
  }
  waiting = [done];
  const el = doc!.createElement("script");
  el.onload = el.onerror = (ev) => {
    doc!.head.removeChild(el);
    // A file that loaded but did not replace the stand-in (an HTML error page...) failed as well; no retry after.
    const ok = ev.type === "load" && transports.streaming!.available !== canStream;
    if (!ok) addonUrl = null;
    const list = waiting!;
    waiting = null;
    for (let i = 0; i < list.length; i++) list[i]!(ok);
  };
  // A page whose CSP admits scripts by nonce admits the add-on with the one ladder.min.js was loaded with.
  if (script!.nonce) el.nonce = script!.nonce;
  el.src = addonUrl!;
  doc!.head.appendChild(el);
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
