import { fetchInit, keepCookies } from "./fetch-init.js";
import type { StreamRequest } from "./streaming-readers.js";

// The streaming reader over fetch: the response body's ReadableStream, chunks as bytes (see streaming-readers.ts).

interface ReaderLike {
  read(): PromiseLike<{ done: boolean; value?: Uint8Array }>;
  cancel(): PromiseLike<unknown>;
}

interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): ReaderLike } | null;
}

type FetchLike = (url: string, init: Record<string, unknown>) => PromiseLike<FetchResponseLike>;

function globalFetch(): FetchLike | null {
  const f = (globalThis as { fetch?: FetchLike }).fetch;
  const RS = (globalThis as { ReadableStream?: unknown }).ReadableStream;
  return typeof f === "function" && typeof RS === "function" ? f : null;
}

/** A request read from fetch body chunks (bytes). */
// The method follows from the body (fetchInit): null is the GET, a string a POST.
const fetchRequest: StreamRequest = (_method, url, body, o, on) => {
  const AC = (globalThis as { AbortController?: new () => { signal: unknown; abort(): void } })
    .AbortController;
  const ctl = typeof AC === "function" ? new AC() : null;
  let reader: ReaderLike | null = null;
  let live = true;
  const end = (error?: unknown): void => {
    if (live) {
      live = false;
      on._end(error);
    }
  };
  const fail = (error: unknown): void => end(error || "fetch error");
  globalFetch()!(url, fetchInit(o, url, body, ctl ? ctl.signal : undefined)).then((res) => {
    keepCookies(o, url, res);
    if (!live) return;
    on._head(res.status, res.headers.get("content-type"));
    const r = res.body ? res.body.getReader() : null;
    reader = r;
    const pump = (): void => {
      r!.read().then((step) => {
        if (!live) return;
        if (step.done) end(res.status === 200 ? undefined : res.status);
        else {
          if (step.value) on._chunk(step.value);
          pump();
        }
      }, fail);
    };
    if (!r) end(res.status === 200 ? undefined : res.status);
    else if (live) pump();
    else if (r) r.cancel().then(noop, noop);
  }, fail);
  return () => {
    live = false;
    if (reader) reader.cancel().then(noop, noop);
    if (ctl) ctl.abort();
  };
};

/** The fetch reader where fetch and ReadableStream exist, else null. */
export function fetchStreamRequest(): StreamRequest | null {
  return globalFetch() ? fetchRequest : null;
}

function noop(): void {}
