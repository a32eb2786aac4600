import { assign, hasOwn } from "../url.js";
import type { TransportOptions } from "./transport.js";

// The two ways the streaming transport reads its long-lived GET while it arrives: fetch body chunks where
// ReadableStream exists, else the growing XHR responseText. Both report through the same three callbacks.

export interface XhrLike {
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: string | null): void;
  abort(): void;
  readyState: number;
  status: number;
  responseText: string;
  withCredentials: boolean;
  onreadystatechange: (() => void) | null;
  onprogress?: (() => void) | null;
}

interface ReaderLike {
  read(): PromiseLike<{ done: boolean; value?: Uint8Array }>;
  cancel(): PromiseLike<unknown>;
}

interface FetchResponseLike {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): ReaderLike } | null;
  text(): PromiseLike<string>;
}

export type FetchLike = (url: string, init: Record<string, unknown>) => PromiseLike<FetchResponseLike>;

interface AbortControllerLike {
  signal: unknown;
  abort(): void;
}

/** One open streaming GET, however it is read. */
export interface StreamRequest {
  abort(): void;
}

export function globalFetch(): FetchLike | null {
  const f = (globalThis as { fetch?: FetchLike }).fetch;
  const RS = (globalThis as { ReadableStream?: unknown }).ReadableStream;
  return typeof f === "function" && typeof RS === "function" ? f : null;
}

export function xhrConstructor(): (new () => XhrLike) | null {
  const X = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
  return typeof X === "function" ? X : null;
}

/** What a reader reports: the status line and Content-Type (false: stop), body chunks, the end (or an error). */
export type StreamHeaders = (status: number, contentType: string | null) => boolean;

/** Reads the GET from fetch body chunks (bytes). */
export function fetchStream(
  f: FetchLike,
  url: string,
  o: TransportOptions,
  req: StreamRequest,
  headers: (status: number, contentType: string | null) => boolean,
  chunk: (data: Uint8Array) => void,
  end: (error?: unknown) => void,
): void {
  const AC = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
  const ctl = typeof AC === "function" ? new AC() : null;
  let reader: ReaderLike | null = null;
  let aborted = false;
  req.abort = () => {
    aborted = true;
    if (reader) reader.cancel().then(noop, noop);
    if (ctl) ctl.abort();
  };
  const init: Record<string, unknown> = {
    method: "GET",
    headers: assign({}, o.extraHeaders),
    credentials: o.withCredentials ? "include" : "same-origin",
    cache: "no-store",
  };
  if (ctl) init.signal = ctl.signal;
  f(url, init).then(
    (res) => {
      if (aborted) return;
      if (!headers(res.status, res.headers.get("content-type")) || !res.body) {
        res.text().then(noop, noop);
        return;
      }
      const r = res.body.getReader();
      reader = r;
      const pump = (): void => {
        r.read().then(
          (step) => {
            if (aborted) return;
            if (step.done) {
              end();
              return;
            }
            if (step.value) chunk(step.value);
            pump();
          },
          (err) => {
            if (!aborted) end(err || "read error");
          },
        );
      };
      pump();
    },
    (err) => {
      if (!aborted) end(err || "fetch error");
    },
  );
}

/** Reads the GET from the growing XHR responseText (readyState 3 / progress events). */
export function xhrStream(
  url: string,
  o: TransportOptions,
  req: StreamRequest,
  headers: (status: number, contentType: string | null) => boolean,
  chunk: (data: string) => void,
  end: (error?: unknown) => void,
): void {
  const X = xhrConstructor();
  if (!X) {
    end("no XMLHttpRequest");
    return;
  }
  const xhr = new X();
  let started = false;
  let offset = 0;
  let finished = false;
  req.abort = () => {
    finished = true;
    xhr.onreadystatechange = null;
    xhr.onprogress = null;
    try {
      xhr.abort();
    } catch {
      // old browsers may throw on abort; nothing to recover
    }
  };
  const read = (): void => {
    if (finished || xhr.readyState < 3) return;
    if (!started) {
      started = true;
      if (!headers(xhr.status, xhr.getResponseHeader("Content-Type"))) {
        req.abort();
        return;
      }
    }
    let text: string;
    try {
      text = xhr.responseText;
    } catch {
      // IE9-class XHR throws while readyState is 3; the next event reads it
      return;
    }
    // responseText only grows: hand the parser the new slice.
    if (text.length > offset) {
      const piece = text.slice(offset);
      offset = text.length;
      chunk(piece);
    }
    if (xhr.readyState === 4 && !finished) {
      finished = true;
      end(xhr.status === 200 ? undefined : xhr.status);
    }
  };
  xhr.open("GET", url, true);
  try {
    const h = o.extraHeaders;
    if (h) for (const key in h) if (hasOwn(h, key)) xhr.setRequestHeader(key, h[key]!);
  } catch {
    // some headers are refused by some browsers
  }
  try {
    xhr.withCredentials = o.withCredentials;
  } catch {
    // IE may throw here; not fatal
  }
  xhr.onreadystatechange = read;
  // Browsers fire progress for every chunk; readystatechange alone fires once for readyState 3 in some.
  xhr.onprogress = read;
  try {
    xhr.send(null);
  } catch (err) {
    o.timers.setTimeout(() => end(err), 0);
  }
}

function noop(): void {}
