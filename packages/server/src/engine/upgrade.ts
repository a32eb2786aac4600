import type { EnginePacket } from "@ladder/protocol";
import type { TimerHandle } from "../timers.js";
import type { Transport } from "../transports/transport.js";
import type { EngineOptions } from "./options.js";

/** What an upgrade needs from its session. */
export interface UpgradeHost {
  /** The session's current transport (the one being replaced). */
  current(): Transport;
  /** The probe succeeded (`2probe` answered); the session emits `upgrading`. */
  upgrading(): void;
  /** The client sent `5`: switch the session to the probe transport. */
  commit(): void;
  /** The attempt is over (committed, failed or cancelled). */
  end(): void;
}

/** Interval at which a pending GET on the old transport is answered with a noop during the probe. */
const NOOP_FLUSH_INTERVAL = 100;

/**
 * The polling → websocket probe sequence, as engine.io clients drive it:
 *
 * 1. the client opens the new transport with the sid and sends `2probe`; we answer `3probe`;
 * 2. the client pauses polling: it waits for its in-flight GET, which we complete with a noop `6` (re-sent
 *    every 100 ms while a GET is pending, since the client may poll again before it is paused);
 * 3. the client sends `5` on the new transport; the session switches and flushes its buffer there.
 *
 * Nothing is lost or reordered: until `5` every packet goes to the old transport (and the client reads it
 * there before pausing completes); after `5` the buffer moves to the new one. Any other packet on the probe,
 * an error, or no `5` within upgradeTimeout closes the probe transport only; the session lives on.
 */
export class UpgradeAttempt {
  /** The transport being tested. */
  readonly probe: Transport;
  private readonly host: UpgradeHost;
  private readonly options: EngineOptions;
  private timeout: TimerHandle | undefined;
  private noopInterval: TimerHandle | undefined;
  private done = false;

  constructor(probe: Transport, options: EngineOptions, host: UpgradeHost) {
    this.probe = probe;
    this.host = host;
    this.options = options;
    probe.on("packet", this.onPacket, this);
    probe.on("error", this.fail, this);
    probe.on("close", this.fail, this);
    this.timeout = options.timers.setTimeout(() => {
      this.timeout = undefined;
      this.fail();
    }, options.upgradeTimeout);
  }

  /** The session closed: give up and close the probe. */
  cancel(): void {
    this.fail();
  }

  private onPacket(packet: EnginePacket): void {
    if (packet.type === "ping" && packet.data === "probe") {
      this.probe.send([{ type: "pong", data: "probe" }]);
      this.host.upgrading();
      const timers = this.options.timers;
      if (this.noopInterval !== undefined) timers.clearInterval(this.noopInterval);
      this.flushNoop();
      this.noopInterval = timers.setInterval(() => this.flushNoop(), NOOP_FLUSH_INTERVAL);
    } else if (packet.type === "upgrade") {
      this.cleanup();
      this.host.commit();
    } else {
      this.fail();
    }
  }

  private flushNoop(): void {
    const old = this.host.current();
    if (old.writable) old.send([{ type: "noop" }]);
  }

  private fail(): void {
    if (this.done) return;
    this.cleanup();
    this.probe.on("error", noop);
    this.probe.close();
  }

  private cleanup(): void {
    if (this.done) return;
    this.done = true;
    const timers = this.options.timers;
    if (this.timeout !== undefined) timers.clearTimeout(this.timeout);
    if (this.noopInterval !== undefined) timers.clearInterval(this.noopInterval);
    this.timeout = this.noopInterval = undefined;
    this.probe.off("packet", this.onPacket, this);
    this.probe.off("error", this.fail, this);
    this.probe.off("close", this.fail, this);
    this.host.end();
  }
}

function noop(): void {}
