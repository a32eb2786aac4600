export { PROTOCOL_VERSION } from "./version.js";
export { PROTOCOL_ERRORS, ProtocolError, isProtocolError, type ProtocolErrorCode } from "./errors.js";
export * from "./engine/index.js";
export * from "./socket/index.js";
export * from "./streaming/index.js";
