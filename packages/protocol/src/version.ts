/** The Engine.IO protocol revision Ladder speaks on the wire. */
export const PROTOCOL_VERSION = 4;
