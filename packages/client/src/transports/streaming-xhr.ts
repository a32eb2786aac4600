import type { StreamRequest } from "./streaming-readers.js";
import { openXhr, xhrConstructor } from "./xhr.js";

// The streaming reader over XMLHttpRequest: the growing responseText, sliced from the last offset at readyState 3 /
// progress (see streaming-readers.ts); what old browsers without fetch streams have.

/** A request read from the growing XHR responseText (strings). */
const xhrRequest: StreamRequest = (method, url, body, o, on) => {
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

/** The XHR reader where XMLHttpRequest exists, else null. */
export function xhrStreamRequest(): StreamRequest | null {
  return xhrConstructor() ? xhrRequest : null;
}
