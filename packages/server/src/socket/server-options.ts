/**
 * The Server's options: the socket-layer keys, their resolution, and the split from the engine options that pass
 * through to the {@link Engine} a Server creates.
 */
import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { EngineOptions } from "../engine/options.js";
import type { AdapterFactory } from "./adapter.js";
import { type DedupKey, type DeduplicateOptions, defaultDedupKey } from "./dedup.js";

export interface ConnectionStateRecoveryOptions {
  /** How long a disconnected socket's state (id, rooms, data, missed packets) is kept. Default 120000 ms. */
  maxDisconnectionDuration?: number;
  /** Skip the connection middlewares when a session is recovered. Default true. */
  skipMiddlewares?: boolean;
}

/** Socket-layer options; the engine options (pingInterval, transports, cors...) pass through. */
export interface ServerOptions extends Partial<EngineOptions> {
  /** Path of the engine requests. Default "/socket.io/". */
  path: string;
  /** Serve the client bundles (ladder.min.js and ladder.esm.js with the streaming add-ons they load, ladder.streaming.min.js and ladder.streaming.esm.js; ladder.legacy.min.js with its add-on ladder.legacy-streaming.min.js) under `path`. Default true. */
  serveClient: boolean;
  /** Where the client bundles are; default: @ladder/client's dist folder, if installed. */
  clientDist: string;
  /** Builds each namespace's adapter. Default: the in-memory adapter. */
  adapter: AdapterFactory;
  /** Close a connection that joined no namespace within this many ms. Default 45000. */
  connectTimeout: number;
  /** Connection state recovery (off by default). */
  connectionStateRecovery: ConnectionStateRecoveryOptions;
  /** Delete a dynamic child namespace when its last socket leaves. Default false. */
  cleanupEmptyChildNamespaces: boolean;
  /** At-most-once delivery of client retries (see dedup.ts): `true` or options. Off by default. */
  deduplicate: boolean | DeduplicateOptions;
  /** Binary attachments allowed per packet. Default 10. */
  maxAttachments: number;
  /** Timeout for serverSideEmit with acks across nodes. Default 5000 ms. */
  serverSideEmitTimeout: number;
}

/** `deduplicate` resolved: the window size and key function (undefined when off). */
export function resolveDedup(
  dd: boolean | DeduplicateOptions | undefined,
):
  | { windowSize: number; key: (event: string | number, args: readonly unknown[]) => DedupKey | undefined }
  | undefined {
  return dd
    ? {
        windowSize: (typeof dd === "object" && dd.windowSize) || 256,
        key: (typeof dd === "object" && dd.key) || defaultDedupKey,
      }
    : undefined;
}

export function isHttpServer(x: object): x is HttpServer | HttpsServer {
  return (
    typeof (x as { listen?: unknown }).listen === "function" &&
    typeof (x as { on?: unknown }).on === "function"
  );
}

export function normalizePath(path: string): string {
  return `${path.replace(/\/+$/, "")}/`;
}

/** The engine options among the Server options (socket-layer keys removed). */
export function engineOptions(opts: Partial<ServerOptions>): Partial<EngineOptions> {
  const {
    path: _path,
    serveClient: _serveClient,
    clientDist: _clientDist,
    adapter: _adapter,
    connectTimeout: _connectTimeout,
    connectionStateRecovery: _csr,
    cleanupEmptyChildNamespaces: _cleanup,
    deduplicate: _dedup,
    maxAttachments: _maxAttachments,
    serverSideEmitTimeout: _sse,
    ...engine
  } = opts;
  return engine;
}
