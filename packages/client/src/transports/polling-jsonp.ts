import { Polling } from "./polling.js";

interface Doc {
  createElement(tag: string): HTMLElementLike;
  getElementsByTagName(tag: string): ArrayLike<HTMLElementLike>;
  body: HTMLElementLike | null;
  readyState?: string;
}
interface HTMLElementLike {
  [key: string]: unknown;
  style: Record<string, string>;
  setAttribute(name: string, value: string): void;
  appendChild(el: HTMLElementLike): void;
  parentNode: { removeChild(el: HTMLElementLike): void } | null;
  submit?(): void;
}

type JsonpCallback = (payload: string) => void;

/** The page's document (JSONP only runs where there is one). */
function doc(): Doc {
  return (globalThis as unknown as { document: Doc }).document;
}

/** The page-global callback slots the server's script responses call: `___eio[N]("<payload>")`. */
function slots(): JsonpCallback[] {
  const g = globalThis as unknown as { ___eio?: JsonpCallback[] };
  if (!g.___eio) g.___eio = [];
  return g.___eio;
}

/** Detaches `el` from the document if it is attached. */
function remove(el: HTMLElementLike | null): void {
  if (el?.parentNode) el.parentNode.removeChild(el);
}

/**
 * JSONP polling for old browsers talking cross-origin without CORS: the GET is a <script> that calls
 * `___eio[N]("<payload>")`, the POST is a form submitted into a hidden iframe (cross-origin form posts need no
 * CORS). Only used when asked (`forceJSONP`) or when no CORS-capable XHR exists.
 *
 * A cross-origin iframe does not tell its HTTP status: a POST that a proxy answers with an error page still
 * "loads". The lost packets then surface as the server's heartbeat timeout, which ends the session and makes the
 * next <script> GET fail (unknown sid), so the page still learns of the disconnect.
 */
export class PollingJsonp extends Polling {
  private _index: number;
  private _script: HTMLElementLike | null = null;
  private _form: HTMLElementLike | null = null;
  private _area: HTMLElementLike | null = null;
  private _iframe: HTMLElementLike | null = null;

  constructor(opts: ConstructorParameters<typeof Polling>[0]) {
    super(opts);
    const callbacks = slots();
    this._index = callbacks.length;
    // The server wraps the payload in a call to this slot; it decodes the JS string literal for us.
    callbacks.push((payload: string) => {
      this.abortPoll();
      this.onData(payload);
    });
  }

  protected doPoll(uri: string): void {
    this.abortPoll();
    const state = doc().readyState;
    // A <script> inserted while the page loads holds its load event back until the poll returns (up to a
    // pingInterval). The handshake is answered at once; the long polls wait for the page's load event.
    if (this.readyState !== "opening" && state && state !== "complete") {
      (globalThis as unknown as { addEventListener(type: string, fn: () => void): void }).addEventListener(
        "load",
        () => {
          if (this.readyState !== "closed") this.doPoll(uri);
        },
      );
      return;
    }
    const script = doc().createElement("script");
    script.async = true;
    script.src = uri + "&j=" + this._index;
    script.onerror = (e: unknown) => {
      this.abortPoll();
      this.onRequestError("jsonp poll error", e);
    };
    (doc().getElementsByTagName("head")[0] || doc().body)!.appendChild(script);
    this._script = script;
  }

  protected doWrite(body: string, done: () => void): void {
    const name = "ladder_jsonp_" + this._index;
    let form = this._form;
    if (!form) {
      form = doc().createElement("form");
      const area = doc().createElement("textarea");
      this._form = form;
      this._area = area;
      // A hidden form still submits (into the iframe named by target).
      form.style.display = "none";
      form.target = name;
      form.method = "POST";
      form.setAttribute("accept-charset", "utf-8");
      area.name = "d";
      form.appendChild(area);
      doc().body!.appendChild(form);
    }
    form.action = this.postUri() + "&j=" + this._index;
    // A fresh iframe per write: its load event is the POST's completion.
    remove(this._iframe);
    const iframe = doc().createElement("iframe");
    this._iframe = iframe;
    iframe.name = name;
    iframe.style.display = "none";
    form.appendChild(iframe);
    // Form submission turns "\n" into "\r\n"; the server turns an escaped "\\n" back into "\n".
    this._area!.value = escapeNewlines(body);
    iframe.onload = () => {
      iframe.onload = null;
      done();
    };
    form.submit!();
  }

  /** Removes the pending <script> (its late answer, if any, reaches an inert or re-used slot). */
  protected abortPoll(): void {
    const s = this._script;
    this._script = null;
    if (s) s.onerror = null;
    remove(s);
  }

  protected override doClose(): void {
    super.doClose();
    // Keep the slot (indices are positions) but make it inert.
    slots()[this._index] = () => {};
    const form = this._form;
    this._form = null;
    // Removing the form now would cancel the close POST; let it go after a moment.
    if (form) this.opts.timers.setTimeout(() => remove(form), 1000);
  }
}

/** The form-field escaping the Engine.IO JSONP POST expects: existing `\n` escapes are protected, newlines escaped. */
export function escapeNewlines(body: string): string {
  return body.replace(/\\n/g, "\\\n").replace(/\n/g, "\\n");
}
