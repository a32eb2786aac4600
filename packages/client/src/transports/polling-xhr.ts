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
    this._get = this._request("GET", uri, null, (body) => {
      this._get = null;
      this.onData(body);
    });
  }

  protected doWrite(body: string, done: () => void): void {
    this._request("POST", this.postUri(), body, () => done());
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

  private _request(
    method: string,
    uri: string,
    body: string | null,
    onLoad: (text: string) => void,
  ): XhrLike {
    const X = (globalThis as unknown as { XMLHttpRequest: new () => XhrLike }).XMLHttpRequest;
    const xhr = new X();
    const o = this.opts;
    const timers = o.timers;
    let timer: unknown = null;
    xhr.open(method, uri, true);
    try {
      const headers = o.extraHeaders;
      if (headers)
        for (const key in headers) if (hasOwn(headers, key)) xhr.setRequestHeader(key, headers[key]!);
      if (method === "POST") xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
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
      // 1223 is IE's spelling of 204.
      if (xhr.status === 200 || xhr.status === 1223) onLoad(xhr.responseText);
      else {
        const status = xhr.status;
        // Report asynchronously: a status 0 (network error) is seen before the error event in some browsers.
        timers.setTimeout(() => this.onRequestError("xhr " + method + " error", status), 0);
      }
    };
    if (o.requestTimeout > 0) {
      timer = timers.setTimeout(() => {
        xhr.onreadystatechange = null;
        xhr.abort();
        this.onRequestError("xhr " + method + " timeout");
      }, o.requestTimeout);
    }
    try {
      xhr.send(body);
    } catch (err) {
      timers.setTimeout(() => this.onRequestError("xhr " + method + " error", err), 0);
    }
    return xhr;
  }
}
