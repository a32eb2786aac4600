export { PROTOCOL_VERSION } from "@ladder/protocol";
