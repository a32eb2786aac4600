import { fetchInit, keepCookies } from "./fetch-init.js";
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
    const AC = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
    const ctl = typeof AC === "function" ? new AC() : null;
    this._get = ctl;
    this._fetch(uri, undefined, ctl, (body) => {
      if (this._get !== ctl) return;
      this._get = null;
      this.onData(body);
    });
  }

  protected doWrite(body: string, done: () => void): void {
    this._fetch(this.postUri(), body, null, done);
  }

  protected abortPoll(): void {
    const ctl = this._get;
    this._get = null;
    if (ctl) ctl.abort();
  }

  /** A GET (no `body`) or a POST of `body`; any status but 2xx (a proxy's 500 included) is a request error. */
  private _fetch(
    uri: string,
    body: string | undefined,
    ctl: AbortControllerLike | null,
    onLoad: (text: string) => void,
  ): void {
    const o = this.opts;
    const method = body === undefined ? "GET" : "POST";
    const timers = o.timers;
    let timer: unknown = null;
    let settled = false;
    // True the first time only: a request ends once (loaded, failed, timed out or aborted).
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== null) timers.clearTimeout(timer);
      return true;
    };
    const fail = (context?: unknown, what = " error"): void => {
      if (settle()) this.onRequestError("fetch " + method + what, context);
    };
    if (o.requestTimeout > 0) {
      timer = timers.setTimeout(() => {
        if (ctl) ctl.abort();
        fail(undefined, " timeout");
      }, o.requestTimeout);
    }
    const doFetch = (
      globalThis as unknown as { fetch: (u: string, i: unknown) => PromiseLike<FetchResponse> }
    ).fetch;
    doFetch(uri, fetchInit(o, uri, body === undefined ? null : body, ctl ? ctl.signal : undefined)).then(
      // The body is read even on an error status, so the connection can be reused (and does not keep Node alive).
      (res) => {
        keepCookies(o, uri, res);
        return res.text().then(
          (text) => {
            if (!res.ok) fail(res.status);
            else if (settle()) onLoad(text);
          },
          (err) => fail(res.ok ? err : res.status),
        );
      },
      (err) => {
        // An abort we asked for (close) is not an error of the session.
        if (ctl && this._get !== ctl && body === undefined) settle();
        else fail(err);
      },
    );
  }
}

interface FetchResponse {
  ok: boolean;
  headers: unknown;
  status: number;
  text(): PromiseLike<string>;
}
