import { assign } from "../url.js";
import type { TransportOptions } from "./transport.js";
import { openXhr } from "./xhr.js";

// The streaming transport's HTTP requests, the long GET and the POSTs alike: fetch where ReadableStream exists (body
// chunks as bytes), else XMLHttpRequest (the growing responseText, sliced from the last offset: readyState 3 /
// progress, which is what old browsers have). Both report the same way: _head(status, Content-Type) once, every
// new _chunk, then _end() — with the status or the error when the request failed or did not answer 200. Nothing is
// reported after the returned abort function was called.

interface ReaderLike {
  read(): PromiseLike<{ done: boolean; value?: Uint8Array }>;
  cancel(): PromiseLike<unknown>;
}

interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): ReaderLike } | null;
}

export type FetchLike = (url: string, init: Record<string, unknown>) => PromiseLike<FetchResponseLike>;

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

const CONTENT_TYPE = "text/plain;charset=UTF-8";

export function globalFetch(): FetchLike | null {
  const f = (globalThis as { fetch?: FetchLike }).fetch;
  const RS = (globalThis as { ReadableStream?: unknown }).ReadableStream;
  return typeof f === "function" && typeof RS === "function" ? f : null;
}

/** A request read from fetch body chunks (bytes). */
export const fetchRequest: StreamRequest = (method, url, body, o, on) => {
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
  const headers: Record<string, string> = assign({}, o.extraHeaders);
  if (body !== null) headers["content-type"] = CONTENT_TYPE;
  globalFetch()!(url, {
    method,
    headers,
    body,
    credentials: o.withCredentials ? "include" : "same-origin",
    cache: "no-store",
    signal: ctl ? ctl.signal : undefined,
  }).then((res) => {
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

/** A request read from the growing XHR responseText (strings). */
export const xhrRequest: StreamRequest = (method, url, body, o, on) => {
  const xhr = openXhr(method, url, o, body !== null);
  let offset = 0;
  let started = false;
  let live = true;
  const end = (error?: unknown): void => {
    if (live) {
      live = false;
      on._end(error);
    }
  };
  const read = (): void => {
    if (!live || xhr.readyState < 3) return;
    let text: string;
    try {
      if (!started) {
        started = true;
        on._head(xhr.status, xhr.getResponseHeader("Content-Type"));
      }
      text = xhr.responseText;
    } catch {
      // IE9-class XHR throws while readyState is 3; the next event reads it
      return;
    }
    if (live && text.length > offset) {
      const piece = text.slice(offset);
      offset = text.length;
      on._chunk(piece);
    }
    // 1223 is IE's spelling of 204.
    if (xhr.readyState === 4) end(xhr.status === 200 || xhr.status === 1223 ? undefined : xhr.status);
  };
  // Browsers fire progress for every chunk; readystatechange alone fires once for readyState 3 in some.
  xhr.onreadystatechange = xhr.onprogress = read;
  try {
    xhr.send(body);
  } catch (err) {
    o.timers.setTimeout(() => end(err), 0);
  }
  return () => {
    live = false;
    xhr.onreadystatechange = xhr.onprogress = null;
    try {
      xhr.abort();
    } catch {
      // old browsers may throw on abort; nothing to recover
    }
  };
};

function noop(): void {}
