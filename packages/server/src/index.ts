export { PROTOCOL_VERSION } from "@ladder/protocol";
export {
  type AttachOptions,
  type ConnectionErrorInfo,
  Engine,
  type EngineEvents,
  matchesPath,
  normalizePath,
  type ResponseHeaders,
} from "./engine/engine.js";
export type { HandshakeInfo } from "./engine/handshake.js";
export {
  type AllowRequestResult,
  DEFAULT_ENGINE_OPTIONS,
  defaultGenerateId,
  type EngineCookieOptions,
  type EngineOptions,
} from "./engine/options.js";
export {
  type EngineSession,
  type SendData,
  type SendOptions,
  Session,
  type SessionEvents,
  type SessionReadyState,
} from "./engine/session.js";
export type {
  UnknownSessionHandler,
  UnknownSessionHttpRequest,
  UnknownSessionRequest,
  UnknownSessionUpgrade,
} from "./engine/unknown-session.js";
export {
  ENGINE_HTTP_ERRORS,
  type EngineErrorCode,
  EngineErrorCodes,
  LadderServerError,
  SERVER_ERRORS,
  type ServerErrorCode,
} from "./errors.js";
export type { CorsOptions, OriginMatcher } from "./http/cors.js";
export type { OriginAllowList } from "./http/origin.js";
export * from "./socket/index.js";
export { ManualTimers, realTimers, type TimerHandle, type Timers } from "./timers.js";
export type { CloseReason, OutPacket } from "./transports/transport.js";
