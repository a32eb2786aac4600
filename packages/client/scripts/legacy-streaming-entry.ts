// Entry of ladder.legacy-streaming.min.js, the optional streaming add-on of the ES5 legacy bundle. The legacy
// bundle leaves streaming out to stay within its size budget; its registry still lists `streaming` (same rank,
// never available). Loaded after it, this file makes that entry real: the page then climbs polling → streaming
// (XHR readyState 3 reader) → websocket like the modern bundle. Built with the legacy bundle's property-name
// cache, so the mangled names it shares with the core (the factory's and the Transport contract's) match.
import type { TransportFactory } from "../src/registry.js";
import { canStream, Streaming } from "../src/transports/streaming.js";

const ladder = (globalThis as { ladder?: { transports: { [name: string]: TransportFactory | undefined } } })
  .ladder;
const entry = ladder?.transports.streaming;
if (!entry) throw new Error("ladder.legacy-streaming.min.js: load ladder.legacy.min.js first");
entry.available = canStream;
entry.create = (opts) => new Streaming(opts);
