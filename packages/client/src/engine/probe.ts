import type { EnginePacket } from "@ladder/protocol";
import { clientError, type LadderClientError } from "../errors.js";
import type { Timers } from "../timers.js";
import type { Transport } from "../transports/transport.js";

/** What a probe needs from the session: a narrow window, so the upgrade rules live in one place. */
export interface ProbeHost {
  /** False once the session is closing or closed. */
  alive(): boolean;
  current(): Transport;
  create(name: string): Transport;
  /** Called after `3probe`: the session stops flushing until the switch (packets wait in its buffer). */
  beginUpgrade(name: string): void;
  /** Makes `next` the session's transport (after `5` was sent on it) and flushes what waited. */
  switchTo(next: Transport): void;
  timers: Timers;
  upgradeTimeout: number;
}

/**
 * Probes transport `name` on an open session: `2probe` → `3probe` proves data flows both ways; then the current
 * transport is paused (in-flight requests finish, so nothing is lost or reordered), `5` is sent on the new one and
 * the session switches. Any failure leaves the session on its current transport. Returns a cancel function.
 */
export function probe(
  host: ProbeHost,
  name: string,
  done: (err: LadderClientError | null) => void,
): () => void {
  const t = host.create(name);
  let finished = false;
  const timer = host.timers.setTimeout(() => fail("probe timeout"), host.upgradeTimeout);

  function cleanup(): void {
    host.timers.clearTimeout(timer);
    t.off("open", onOpen);
    t.off("packet", onPacket);
    t.off("error", onError);
    t.off("close", onClose);
  }
  function fail(reason: string, context?: unknown): void {
    if (finished) return;
    finished = true;
    cleanup();
    t.close();
    done(clientError("LADDER_ERR_CLIENT_PROBE", "probe error: " + reason, { transport: name, context }));
  }
  function onOpen(): void {
    t.send([{ type: "ping", data: "probe" }]);
  }
  function onPacket(packet: EnginePacket): void {
    if (finished) return;
    if (packet.type !== "pong" || packet.data !== "probe") {
      fail("unexpected packet " + packet.type);
      return;
    }
    if (!host.alive()) {
      fail("session closed");
      return;
    }
    host.beginUpgrade(name);
    host.current().pause(() => {
      if (finished) return;
      if (!host.alive() || t.readyState !== "open") {
        fail("closed while pausing");
        return;
      }
      finished = true;
      cleanup();
      t.send([{ type: "upgrade" }]);
      host.switchTo(t);
      done(null);
    });
  }
  function onError(err: unknown): void {
    fail("transport error", err);
  }
  function onClose(): void {
    fail("transport closed");
  }
  t.on("open", onOpen);
  t.on("packet", onPacket);
  t.on("error", onError);
  t.on("close", onClose);
  t.open();
  return () => fail("cancelled");
}
