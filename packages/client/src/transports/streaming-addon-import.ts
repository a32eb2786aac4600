// How ladder.esm.js loads its streaming add-on (see streaming-lazy.ts): import() of ladder.streaming.esm.js, the
// module beside it, which takes Transport and the registry from ladder.esm.js itself (one instance). Bundlers
// make it a chunk of its own; a browser loads it from beside ladder.esm.js. Where import() is refused (service
// workers), loading fails and the session stays on polling or WebSocket.

/** ladder.esm.js always knows where its add-on is. */
export const addonKnown = true;

/** Runs the add-on; `done(true)` once it ran, `done(false)` when it could not be loaded. */
export function runAddon(done: (loaded: boolean) => void): void {
  // The specifier is resolved in dist/, beside ladder.esm.js (scripts/bundle.mjs keeps it external).
  // @ts-expect-error the add-on exists only as a built file
  import("./ladder.streaming.esm.js").then(
    () => done(true),
    () => done(false),
  );
}
