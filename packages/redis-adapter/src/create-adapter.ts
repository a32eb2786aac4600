import type { AdapterFactory, AdapterNamespace } from "@ladder/server";
import { Redis, type RedisOptions } from "ioredis";
import { RedisConnection } from "./connection.js";
import { RedisAdapterError } from "./errors.js";
import { RedisAdapter, type RedisAdapterOptions } from "./redis-adapter.js";

export interface CreateAdapterOptions extends Partial<RedisAdapterOptions> {
  /** `redis://host:port/db` (when no client is given). */
  url?: string;
  /** ioredis options for the clients the adapter creates. */
  redisOptions?: RedisOptions;
  /** Redis connection errors (e.g. during an outage). Default: ignored; the clients reconnect by themselves. */
  onError?: (err: Error) => void;
}

/**
 * The Redis adapter factory for `new Server({ adapter: createAdapter({ url, keyPrefix }) })`, or
 * `createAdapter(existingIoredisClient, { keyPrefix })` (the client is duplicated for the subscriber connection
 * and left open on close). All namespaces of one server share the two connections.
 */
export function createAdapter(options: CreateAdapterOptions): AdapterFactory;
export function createAdapter(client: Redis, options?: CreateAdapterOptions): AdapterFactory;
export function createAdapter(
  clientOrOptions: Redis | CreateAdapterOptions,
  maybeOptions: CreateAdapterOptions = {},
): AdapterFactory {
  const client = clientOrOptions instanceof Redis ? clientOrOptions : undefined;
  const options = client ? maybeOptions : (clientOrOptions as CreateAdapterOptions);
  if (!client && typeof options.url !== "string" && !options.redisOptions) {
    throw new RedisAdapterError("LADDER_ERR_REDIS_OPTIONS", "give a url, redisOptions or a client");
  }
  const settings: RedisAdapterOptions = {
    keyPrefix: options.keyPrefix ?? "ladder",
    requestsTimeout: options.requestsTimeout ?? 5000,
    maxStreamLength: options.maxStreamLength,
    roomChannels: options.roomChannels ?? true,
  };
  let conn: RedisConnection | undefined;
  return (nsp: AdapterNamespace) => {
    // Created on first use and shared; a fresh pair after every namespace adapter closed it.
    if (!conn || conn.isClosed()) conn = new RedisConnection(client, options);
    return new RedisAdapter(nsp, conn, settings);
  };
}
