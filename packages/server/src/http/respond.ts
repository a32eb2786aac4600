import type { ServerResponse } from "node:http";
import { ENGINE_HTTP_ERRORS, type EngineErrorCode } from "../errors.js";

/** Answers an HTTP request with an Engine.IO error: the table's status and `{"code":N,"message":"..."}`. */
export function respondEngineError(res: ServerResponse, code: EngineErrorCode, message?: string): void {
  const entry = ENGINE_HTTP_ERRORS[code];
  const body = JSON.stringify({ code, message: message ?? entry.message });
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(entry.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers with a bare status and ends the response (used where the reference sends no body). */
export function respondStatus(res: ServerResponse, status: number, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "Content-Length": "0", ...headers });
  res.end();
}
