import { fetchStreamRequest } from "./streaming-fetch.js";
import { xhrStreamRequest } from "./streaming-xhr.js";
import type { TransportOptions } from "./transport.js";

// The streaming transport's HTTP requests, the long GET and the POSTs alike: fetch where ReadableStream exists (body
// chunks as bytes; streaming-fetch.ts), else XMLHttpRequest (the growing responseText, sliced from the last offset:
// readyState 3 / progress, which is what old browsers have; streaming-xhr.ts). Both report the same way:
// _head(status, Content-Type) once, every new _chunk, then _end() — with the status or the error when the request
// failed or did not answer 200. Nothing is reported after the returned abort function was called.
//
// Two browser bundles leave out the reader their browsers never use (scripts/bundle.mjs): the modern IIFE the XHR
// reader (every browser it runs in streams fetch bodies), the legacy add-on the fetch reader.

/** What a request reports (see above); `end` gets a status or an error when the request failed. */
export interface StreamHandlers {
  _head(status: number, contentType: string | null): void;
  _chunk(data: string | Uint8Array): void;
  _end(error?: unknown): void;
}

/** Sends one request (`body` null for the GET); returns its abort. */
export type StreamRequest = (
  method: string,
  url: string,
  body: string | null,
  o: TransportOptions,
  on: StreamHandlers,
) => () => void;

/** The reader this environment streams with, or null when it cannot read a response while it arrives. */
export function streamRequest(): StreamRequest | null {
  return fetchStreamRequest() || xhrStreamRequest();
}
