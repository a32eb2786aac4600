/**
 * The Engine's public event map and the path helpers of `attach`: shared by the Engine, its WebSocket server
 * and the fastify plugin.
 */
import type { IncomingMessage } from "node:http";
import type { EngineSession } from "./session.js";

/** Payload of `connection_error`. */
export interface ConnectionErrorInfo {
  req: IncomingMessage;
  code: number;
  message: string;
  context?: unknown;
}

export type ResponseHeaders = Record<string, string | string[]>;

export interface EngineEvents {
  connection: [session: EngineSession];
  connection_error: [err: ConnectionErrorInfo];
  /** Before every HTTP response / WebSocket handshake response of a session: edit `headers` in place. */
  headers: [headers: ResponseHeaders, req: IncomingMessage];
  /** Before the handshake response only (emitted before `headers`). */
  initial_headers: [headers: ResponseHeaders, req: IncomingMessage];
}

export interface AttachOptions {
  /** Path prefix of the engine's requests. Default `/engine.io/`. */
  path?: string;
}

/** Normalises a path option to the prefix form `/x/`. */
export function normalizePath(path = "/engine.io/"): string {
  return `${path.replace(/\/+$/, "")}/`;
}

/** True when the request URL's path starts with `prefix` (as returned by {@link normalizePath}). */
export function matchesPath(url: string | undefined, prefix: string): boolean {
  return typeof url === "string" && url.startsWith(prefix);
}
