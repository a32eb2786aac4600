import { clientError, type LadderClientError } from "../errors.js";
import type { Timers } from "../timers.js";
import type { Transport } from "../transports/transport.js";

/** What a probe needs from the session (the {@link EngineSocket} itself), so the upgrade rules live in one place. */
export interface ProbeHost {
  readyState: string;
  transport: Transport | null;
  _timers: Timers;
  _upgradeTimeout: number;
  /** Called after `3probe`: the session stops flushing until the switch (packets wait in its buffer). */
  _beginUpgrade(t: Transport): void;
  /** The probe ended: on success (`err` null, `5` already sent on `t`) the session switches to `t`. */
  _probed(t: Transport, err: LadderClientError | null): void;
}

/**
 * Probes the fresh transport `t` on an open session: `2probe` → `3probe` proves data flows both ways; then the
 * current transport is paused (in-flight requests finish, so nothing is lost or reordered), `5` is sent on `t` and
 * the session switches. Any failure leaves the session on its current transport. Returns a cancel function.
 */
export function probe(host: ProbeHost, t: Transport): () => void {
  let finished = false;
  const end = (err: LadderClientError | null): void => {
    finished = true;
    host._timers.clearTimeout(timer);
    // Until the switch, the probe is the only listener of `t`.
    t.off();
    if (err) t.close();
    else t.send([{ type: "upgrade" }]);
    host._probed(t, err);
  };
  const fail = (reason: string, context?: unknown): void => {
    if (!finished)
      end(clientError("LADDER_ERR_CLIENT_PROBE", "probe error: " + reason, { transport: t.name, context }));
  };
  const timer = host._timers.setTimeout(() => fail("probe timeout"), host._upgradeTimeout);
  t.on("open", () => t.send([{ type: "ping", data: "probe" }]))
    .on("packet", (packet) => {
      if (packet.type !== "pong" || packet.data !== "probe") return fail("unexpected packet " + packet.type);
      if (host.readyState !== "open") return fail("session closed");
      host._beginUpgrade(t);
      host.transport!.pause(() => {
        if (finished) return;
        if (host.readyState !== "open" || t.readyState !== "open") fail("closed while pausing");
        else end(null);
      });
    })
    .on("error", (err) => fail("transport error", err))
    .on("close", () => fail("transport closed"))
    .open();
  return () => fail("cancelled");
}
