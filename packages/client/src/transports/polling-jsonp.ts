import { Polling } from "./polling.js";

interface Doc {
  createElement(tag: string): HTMLElementLike;
  getElementsByTagName(tag: string): ArrayLike<HTMLElementLike>;
  body: HTMLElementLike | null;
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

/**
 * JSONP polling for old browsers talking cross-origin without CORS: the GET is a <script> that calls
 * `___eio[N]("<payload>")`, the POST is a form submitted into a hidden iframe (cross-origin form posts need no
 * CORS). Only used when asked (`forceJSONP`) or when no CORS-capable XHR exists.
 */
export class PollingJsonp extends Polling {
  private _index: number;
  private _script: HTMLElementLike | null = null;
  private _form: HTMLElementLike | null = null;
  private _area: HTMLElementLike | null = null;
  private _iframe: HTMLElementLike | null = null;

  constructor(opts: ConstructorParameters<typeof Polling>[0]) {
    super(opts);
    const g = globalThis as unknown as { ___eio?: JsonpCallback[] };
    if (!g.___eio) g.___eio = [];
    const callbacks = g.___eio;
    this._index = callbacks.length;
    // The server wraps the payload in a call to this slot; it decodes the JS string literal for us.
    callbacks.push((payload: string) => this._onScriptData(payload));
  }

  private _doc(): Doc {
    return (globalThis as unknown as { document: Doc }).document;
  }

  private _onScriptData(payload: string): void {
    this._removeScript();
    this.onData(payload);
  }

  protected doPoll(uri: string): void {
    const doc = this._doc();
    this._removeScript();
    const script = doc.createElement("script");
    script.async = true;
    script.src = uri + "&j=" + this._index;
    script.onerror = (e: unknown) => {
      this._removeScript();
      this.onRequestError("jsonp poll error", e);
    };
    (doc.getElementsByTagName("head")[0] || doc.body)!.appendChild(script);
    this._script = script;
  }

  private _removeScript(): void {
    const s = this._script;
    this._script = null;
    if (s) {
      s.onerror = null;
      if (s.parentNode) s.parentNode.removeChild(s);
    }
  }

  protected doWrite(body: string, done: () => void): void {
    const doc = this._doc();
    const name = "ladder_jsonp_" + this._index;
    if (!this._form) {
      const form = doc.createElement("form");
      const area = doc.createElement("textarea");
      // A hidden form still submits (into the iframe named by target).
      form.style.display = "none";
      form.target = name;
      form.method = "POST";
      form.setAttribute("accept-charset", "utf-8");
      area.name = "d";
      form.appendChild(area);
      doc.body!.appendChild(form);
      this._form = form;
      this._area = area;
    }
    this._form.action = this.postUri() + "&j=" + this._index;
    // A fresh iframe per write: its load event is the POST's completion.
    if (this._iframe?.parentNode) this._iframe.parentNode.removeChild(this._iframe);
    const iframe = doc.createElement("iframe");
    iframe.name = name;
    iframe.style.display = "none";
    this._form.appendChild(iframe);
    this._iframe = iframe;
    // Form submission turns "\n" into "\r\n"; the server turns an escaped "\\n" back into "\n".
    this._area!.value = escapeNewlines(body);
    let called = false;
    iframe.onload = () => {
      if (called) return;
      called = true;
      done();
    };
    this._form.submit!();
  }

  protected abortPoll(): void {
    this._removeScript();
  }

  protected override doClose(): void {
    super.doClose();
    const g = globalThis as unknown as { ___eio?: JsonpCallback[] };
    // Keep the slot (indices are positions) but make it inert.
    if (g.___eio) g.___eio[this._index] = () => {};
    const form = this._form;
    this._form = null;
    if (form?.parentNode) {
      // Removing the form now would cancel the close POST; let it go after a moment.
      this.opts.timers.setTimeout(() => {
        if (form.parentNode) form.parentNode.removeChild(form);
      }, 1000);
    }
  }
}

/** The form-field escaping the Engine.IO JSONP POST expects: existing `\n` escapes are protected, newlines escaped. */
export function escapeNewlines(body: string): string {
  return body.replace(/\\n/g, "\\\n").replace(/\n/g, "\\n");
}
