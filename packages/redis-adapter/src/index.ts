export { type CreateAdapterOptions, createAdapter } from "./create-adapter.js";
export { REDIS_ADAPTER_ERRORS, RedisAdapterError, type RedisAdapterErrorCode } from "./errors.js";
export { RedisAdapter, type RedisAdapterOptions } from "./redis-adapter.js";
export { createSessionRouter, type SessionRouter, type SessionRouterOptions } from "./session-router.js";
