import { Polling } from "./polling.js";
import type { TransportOptions } from "./transport.js";
import { openXhr, type XhrLike, xhrConstructor } from "./xhr.js";

/** True when this environment has an XMLHttpRequest that can go cross-origin (CORS) — IE10+, every modern browser. */
export function hasCorsXhr(): boolean {
  const X = xhrConstructor();
  if (!X) return false;
  try {
    return "withCredentials" in new X();
  } catch {
    return false;
  }
}

/**
 * One XMLHttpRequest with the transport options (extra headers, credentials, requestTimeout): a GET, or a POST of
 * `body`. `onLoad` gets the response text on 200 (1223 is IE's spelling of 204); any other status — a proxy's 500
 * included — is a failure, reported through `onFail` asynchronously (a status 0 network error is seen before the
 * error event in some browsers). Returns the request, for abort().
 */
export function xhrRequest(
  o: TransportOptions,
  uri: string,
  body: string | undefined,
  onLoad: (text: string) => void,
  onFail: (message: string, context?: unknown) => void,
): XhrLike {
  const timers = o.timers;
  const method = body === undefined ? "GET" : "POST";
  const failLater = (context: unknown): unknown =>
    timers.setTimeout(() => onFail("xhr " + method + " error", context), 0);
  let timer: unknown = null;
  const xhr = openXhr(method, uri, o, body !== undefined);
  xhr.onreadystatechange = () => {
    if (xhr.readyState !== 4) return;
    xhr.onreadystatechange = null;
    if (timer !== null) timers.clearTimeout(timer);
    if (xhr.status === 200 || xhr.status === 1223) onLoad(xhr.responseText);
    else failLater(xhr.status);
  };
  if (o.requestTimeout > 0) {
    timer = timers.setTimeout(() => {
      xhr.onreadystatechange = null;
      xhr.abort();
      onFail("xhr " + method + " timeout");
    }, o.requestTimeout);
  }
  try {
    xhr.send(body === undefined ? null : body);
  } catch (err) {
    failLater(err);
  }
  return xhr;
}

/** Long polling over XMLHttpRequest (browsers); `withCredentials` sends cookies cross-origin for sticky sessions. */
export class PollingXhr extends Polling {
  private _get: XhrLike | null = null;

  protected doPoll(uri: string): void {
    this._get = xhrRequest(
      this.opts,
      uri,
      undefined,
      (text) => {
        this._get = null;
        this.onData(text);
      },
      this._fail,
    );
  }

  protected doWrite(body: string, done: () => void): void {
    xhrRequest(this.opts, this.postUri(), body, done, this._fail);
  }

  private _fail = (message: string, context?: unknown): void => this.onRequestError(message, context);

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
}
