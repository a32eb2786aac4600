import { hasOwn } from "../url.js";
import { Polling } from "./polling.js";

interface XhrLike {
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  send(body?: string | null): void;
  abort(): void;
  readyState: number;
  status: number;
  responseText: string;
  withCredentials: boolean;
  onreadystatechange: (() => void) | null;
}

/** True when this environment has an XMLHttpRequest that can go cross-origin (CORS) — IE10+, every modern browser. */
export function hasCorsXhr(): boolean {
  const X = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
  if (typeof X !== "function") return false;
  try {
    return "withCredentials" in new X();
  } catch {
    return false;
  }
}

/** Long polling over XMLHttpRequest (browsers); `withCredentials` sends cookies cross-origin for sticky sessions. */
export class PollingXhr extends Polling {
  private _get: XhrLike | null = null;

  protected doPoll(uri: string): void {
    this._get = this._request(uri);
  }

  protected doWrite(body: string, done: () => void): void {
    this._request(this.postUri(), body, done);
  }

  protected abortPoll(): void {
    const xhr = this._get;
    this._get = null;
    if (xhr) {
      xhr.onreadystatechange = null;
      try {
        xhr.abort();
      } catch {
        // an aborted request may throw in old browsers; nothing to recover
      }
    }
  }

  /** A GET (no `body`: its response goes to onData) or a POST of `body` (then `done`). */
  private _request(uri: string, body?: string, done?: () => void): XhrLike {
    const X = (globalThis as unknown as { XMLHttpRequest: new () => XhrLike }).XMLHttpRequest;
    const xhr = new X();
    const o = this.opts;
    const timers = o.timers;
    const method = done ? "POST" : "GET";
    const fail = (context?: unknown, what = " error"): void =>
      this.onRequestError("xhr " + method + what, context);
    // Asynchronous: a status 0 (network error) is seen before the error event in some browsers.
    const failLater = (context: unknown): unknown => timers.setTimeout(() => fail(context), 0);
    let timer: unknown = null;
    xhr.open(method, uri, true);
    try {
      const headers = o.extraHeaders;
      for (const key in headers) if (hasOwn(headers, key)) xhr.setRequestHeader(key, headers[key]!);
      if (done) xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
    } catch {
      // some headers are refused by some browsers; the request still works without them
    }
    try {
      xhr.withCredentials = o.withCredentials;
    } catch {
      // IE throws when set before open in some modes; not fatal
    }
    xhr.onreadystatechange = () => {
      if (xhr.readyState !== 4) return;
      xhr.onreadystatechange = null;
      if (timer !== null) timers.clearTimeout(timer);
      // 1223 is IE's spelling of 204. Any other status (a proxy's 500 included) is a transport error.
      if (xhr.status !== 200 && xhr.status !== 1223) failLater(xhr.status);
      else if (done) done();
      else {
        this._get = null;
        this.onData(xhr.responseText);
      }
    };
    if (o.requestTimeout > 0) {
      timer = timers.setTimeout(() => {
        xhr.onreadystatechange = null;
        xhr.abort();
        fail(undefined, " timeout");
      }, o.requestTimeout);
    }
    try {
      xhr.send(body === undefined ? null : body);
    } catch (err) {
      failLater(err);
    }
    return xhr;
  }
}
