import { assign } from "../url.js";
import { Polling } from "./polling.js";

interface AbortControllerLike {
  signal: unknown;
  abort(): void;
}

/**
 * Long polling over fetch(), where XMLHttpRequest is absent (Node, service workers). Requests are aborted on
 * close so a Node process exits by itself.
 */
export class PollingFetch extends Polling {
  private _get: AbortControllerLike | null = null;

  protected doPoll(uri: string): void {
    const ctl = this._controller();
    this._get = ctl;
    this._fetch("GET", uri, null, ctl, (body) => {
      if (this._get !== ctl) return;
      this._get = null;
      this.onData(body);
    });
  }

  protected doWrite(body: string, done: () => void): void {
    this._fetch("POST", this.postUri(), body, null, () => done());
  }

  protected abortPoll(): void {
    const ctl = this._get;
    this._get = null;
    if (ctl) ctl.abort();
  }

  private _controller(): AbortControllerLike | null {
    const AC = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
    return typeof AC === "function" ? new AC() : null;
  }

  private _fetch(
    method: string,
    uri: string,
    body: string | null,
    ctl: AbortControllerLike | null,
    onLoad: (text: string) => void,
  ): void {
    const o = this.opts;
    const headers: Record<string, string> = assign({}, o.extraHeaders);
    if (body !== null) headers["content-type"] = "text/plain;charset=UTF-8";
    const timers = o.timers;
    let timer: unknown = null;
    let settled = false;
    const fail = (message: string, context?: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer !== null) timers.clearTimeout(timer);
      this.onRequestError(message, context);
    };
    if (o.requestTimeout > 0) {
      timer = timers.setTimeout(() => {
        if (ctl) ctl.abort();
        fail("fetch " + method + " timeout");
      }, o.requestTimeout);
    }
    const init: Record<string, unknown> = {
      method,
      headers,
      credentials: o.withCredentials ? "include" : "same-origin",
      cache: "no-store",
    };
    if (body !== null) init.body = body;
    if (ctl) init.signal = ctl.signal;
    const doFetch = (
      globalThis as unknown as { fetch: (u: string, i: unknown) => PromiseLike<FetchResponse> }
    ).fetch;
    doFetch(uri, init).then(
      (res) => {
        if (!res.ok) {
          // Drain the body so the connection can be reused (and does not keep Node alive).
          res.text().then(
            () => fail("fetch " + method + " error", res.status),
            () => fail("fetch " + method + " error", res.status),
          );
          return;
        }
        res.text().then(
          (text) => {
            if (settled) return;
            settled = true;
            if (timer !== null) timers.clearTimeout(timer);
            onLoad(text);
          },
          (err) => fail("fetch " + method + " error", err),
        );
      },
      (err) => {
        // An abort we asked for is not an error of the session.
        if (ctl && this._get !== ctl && method === "GET") {
          settled = true;
          if (timer !== null) timers.clearTimeout(timer);
          return;
        }
        fail("fetch " + method + " error", err);
      },
    );
  }
}

interface FetchResponse {
  ok: boolean;
  status: number;
  text(): PromiseLike<string>;
}
