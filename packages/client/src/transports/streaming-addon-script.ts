// How ladder.min.js fetches its streaming add-on (see streaming-lazy.ts): a <script> tag for
// ladder.streaming.min.js, beside the script that runs this bundle (read while it runs; any query dropped), with
// that script's CSP nonce. The ES module bundle loads its add-on with import() instead
// (streaming-addon-import.ts, swapped in by scripts/bundle.mjs).

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

/** True when this bundle knows where its add-on is (it was loaded by a <script src>). */
// biome-ignore lint/complexity/useOptionalChain: as above
export const addonKnown = !!(script && script.src);

/** Runs the add-on; `done(true)` once it ran, `done(false)` when it could not be loaded. */
export function runAddon(done: (loaded: boolean) => void): void {
  const el = doc!.createElement("script");
  el.onload = el.onerror = (ev) => {
    doc!.head.removeChild(el);
    done(ev.type === "load");
  };
  // A page whose CSP admits scripts by nonce admits the add-on with the one ladder.min.js was loaded with.
  if (script!.nonce) el.nonce = script!.nonce;
  el.src = script!.src!.replace(/[^/]*$/, "ladder.streaming.min.js");
  doc!.head.appendChild(el);
}
