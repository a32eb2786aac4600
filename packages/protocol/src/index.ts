export { PROTOCOL_VERSION } from "./version.js";
