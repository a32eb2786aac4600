// Entry of the streaming add-ons: ladder.streaming.min.js (for ladder.min.js), ladder.streaming.esm.js (for
// ladder.esm.js) and ladder.legacy-streaming.min.js (for the ES5 ladder.legacy.min.js). No core carries the
// streaming transport's code: the modern ones hold a stand-in that loads their add-on when a session first opens
// streaming (src/transports/streaming-lazy.ts), the legacy one lists `streaming` as never available. Run after its
// core, this file makes the registry entry real. The core's registry, Transport class and codecs come from the
// core itself (scripts/bundle.mjs, fromCore); the IIFE add-ons are built with their core's property-name cache,
// so the mangled names they share (the factory's, the Transport contract's) match.
import { transports } from "../src/registry.js";
import { canStream, Streaming } from "../src/transports/streaming.js";

const entry = transports.streaming!;
entry.available = canStream;
entry.create = (opts) => new Streaming(opts);
