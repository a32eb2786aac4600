export * from "./engine/index.js";
export { isProtocolError, PROTOCOL_ERRORS, ProtocolError, type ProtocolErrorCode } from "./errors.js";
export * from "./socket/index.js";
export * from "./streaming/index.js";
export { PROTOCOL_VERSION } from "./version.js";
