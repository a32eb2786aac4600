/** The Redis adapter's errors: stable `LADDER_ERR_REDIS_*` codes. */
export const REDIS_ADAPTER_ERRORS = {
  LADDER_ERR_REDIS_REQUEST_TIMEOUT: {
    description:
      "a request to the other nodes (fetchSockets) got fewer answers than nodes within requestsTimeout",
  },
  LADDER_ERR_REDIS_UNAVAILABLE: {
    description: "Redis is not connected: cluster-wide requests cannot be made (local delivery continues)",
  },
  LADDER_ERR_REDIS_OPTIONS: { description: "createAdapter / createSessionRouter got invalid options" },
} as const;

export type RedisAdapterErrorCode = keyof typeof REDIS_ADAPTER_ERRORS;

/** An error raised by the Redis adapter; `code` is stable. */
export class RedisAdapterError extends Error {
  override readonly name = "RedisAdapterError";
  constructor(
    readonly code: RedisAdapterErrorCode,
    detail?: string,
  ) {
    super(`${code}: ${REDIS_ADAPTER_ERRORS[code].description}${detail ? ` (${detail})` : ""}`);
  }
}
