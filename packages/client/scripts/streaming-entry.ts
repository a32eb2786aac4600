// Entry of the streaming add-ons: ladder.streaming.min.js (for ladder.min.js) and ladder.legacy-streaming.min.js
// (for the ES5 ladder.legacy.min.js). Neither core carries the streaming transport's code: the modern one holds a
// stand-in that fetches this add-on when a session first opens streaming (src/transports/streaming-lazy.ts), the
// legacy one lists `streaming` as never available. Run after its core, this file makes the registry entry real.
// Built with its core's property-name cache, so the mangled names it shares with the core (the factory's and the
// Transport contract's) match.
import type { TransportFactory } from "../src/registry.js";
import { canStream, Streaming } from "../src/transports/streaming.js";

const ladder = (globalThis as { ladder?: { transports: { [name: string]: TransportFactory | undefined } } })
  .ladder;
const entry = ladder?.transports.streaming;
if (!entry) throw new Error("Ladder's streaming add-on: load the core bundle first");
entry.available = canStream;
entry.create = (opts) => new Streaming(opts);
