// How a session's HTTP goes outside browsers, through its own undici dispatcher (fetch has no `agent`), made only
// when the session needs one:
// - TLS options (socket.io-client's Node options: `ca`, `cert`, `key`, `pfx`, `passphrase`, `ciphers`,
//   `rejectUnauthorized`), e.g. a development server with a self-signed certificate; `ws` takes them as they are.
// - `autoUnref` (socket.io-client's Node option): the connections must not keep the process alive, not even while
//   a long poll or a stream is in flight. undici refs a connection while it has requests; the dispatcher's sockets
//   are unref'd when made and keep it (their `ref` does nothing). The WebSocket side is in websocket.ts, the
//   timers in timers.ts.
// Browsers decide TLS and keep no process alive: the browser bundles replace this file with "none"
// (scripts/bundle.mjs) and package.json "browser" maps undici away. Idle connections never keep the process alive.
import * as undici from "undici";

/** The session's TLS options and autoUnref, and the fetch dispatcher that applies them. */
export interface NodeTls {
  options: Record<string, unknown>;
  dispatcher: unknown;
  /** `autoUnref`: the WebSocket's socket is unref'd too. */
  unref: boolean;
}

const KEYS = ["ca", "cert", "key", "pfx", "passphrase", "ciphers", "rejectUnauthorized"];

type Connector = (opts: unknown, cb: (err: Error | null, socket: unknown) => void) => void;

/** The session's dispatcher setup, or null when it needs none (no TLS option, no autoUnref) or outside Node. */
export function nodeTls(o: Record<string, unknown>): NodeTls | null {
  const u = undici as { Agent?: typeof undici.Agent; buildConnector?: (o: object) => Connector };
  const options: Record<string, unknown> = {};
  let any = false;
  for (const key of KEYS) {
    if (o[key] !== undefined) {
      options[key] = o[key];
      any = true;
    }
  }
  const unref = !!o.autoUnref;
  if (!(any || unref) || typeof u.Agent !== "function" || typeof u.buildConnector !== "function") return null;
  const base = u.buildConnector(options);
  const connect: Connector = unref
    ? (opts, cb) =>
        base(opts, (err, socket) => {
          const s = socket as { unref?: () => void; ref?: () => unknown } | null;
          if (s && typeof s.unref === "function") {
            s.unref();
            s.ref = () => s;
          }
          cb(err, socket);
        })
    : base;
  return { options, dispatcher: new u.Agent({ connect: connect as never }), unref };
}
