// TLS options outside browsers (socket.io-client's Node options: `ca`, `cert`, `key`, `pfx`, `passphrase`,
// `ciphers`, `rejectUnauthorized`), e.g. a development server with a self-signed certificate. Browsers decide TLS
// themselves: the browser bundles replace this file with "none" (scripts/bundle.mjs) and package.json "browser"
// maps undici away. `ws` takes the options as they are; Node's fetch takes them through an undici dispatcher
// (fetch has no `agent`), one per session, whose idle connections do not keep the process alive.
import * as undici from "undici";

/** The TLS options a session was given, and the fetch dispatcher that applies them. */
export interface NodeTls {
  options: Record<string, unknown>;
  dispatcher: unknown;
}

const KEYS = ["ca", "cert", "key", "pfx", "passphrase", "ciphers", "rejectUnauthorized"];

/** The session's TLS setup, or null when no TLS option was given (or outside Node). */
export function nodeTls(o: Record<string, unknown>): NodeTls | null {
  const Agent = (undici as { Agent?: typeof undici.Agent }).Agent;
  const options: Record<string, unknown> = {};
  let any = false;
  for (const key of KEYS) {
    if (o[key] !== undefined) {
      options[key] = o[key];
      any = true;
    }
  }
  return any && typeof Agent === "function" ? { options, dispatcher: new Agent({ connect: options }) } : null;
}
