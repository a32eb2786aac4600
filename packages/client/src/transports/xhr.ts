import { hasOwn } from "../url.js";
import type { TransportOptions } from "./transport.js";

/** The part of XMLHttpRequest the polling and streaming transports use. */
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

/** The environment's XMLHttpRequest, or null. */
export function xhrConstructor(): (new () => XhrLike) | null {
  const X = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
  return typeof X === "function" ? X : null;
}

/**
 * A new XMLHttpRequest opened for `method` and `url` with the transport options: the extra headers, the upstream
 * Content-Type when it carries a body, and credentials (cookies cross-origin for sticky sessions).
 */
export function openXhr(method: string, url: string, o: TransportOptions, hasBody: boolean): XhrLike {
  const xhr = new (xhrConstructor()!)();
  xhr.open(method, url, true);
  try {
    const headers = o.extraHeaders;
    for (const key in headers) if (hasOwn(headers, key)) xhr.setRequestHeader(key, headers[key]!);
    if (hasBody) xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
  } catch {
    // some headers are refused by some browsers; the request still works without them
  }
  try {
    xhr.withCredentials = o.withCredentials;
  } catch {
    // IE may throw here; not fatal
  }
  return xhr;
}
