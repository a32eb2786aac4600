// EngineSocket.close() with packets still being written, over a scripted in-memory transport registered in the
// client's transport registry (no network): the session must end when the write drains, and a session that ended
// another way meanwhile must leave nothing behind that could close the next session opened on the same object.

import { EngineSocket, Transport, transports } from "@ladder/client";
import type { EnginePacket } from "@ladder/protocol";
import { expect } from "chai";

const HANDSHAKE = '{"sid":"S","upgrades":[],"pingInterval":60000,"pingTimeout":60000,"maxPayload":1000}';

/** Opens on the next tick with a handshake; keeps every write in flight until the test calls finishWrite(). */
class Scripted extends Transport {
  readonly name = "scripted";
  static last: Scripted | null = null;
  written: EnginePacket[][] = [];
  protected doOpen(): void {
    Scripted.last = this;
    setTimeout(() => {
      this.onOpen();
      this.onPacket({ type: "open", data: HANDSHAKE });
    }, 0);
  }
  protected doClose(): void {}
  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    this.written.push(packets);
  }
  finishWrite(): void {
    this.writable = true;
    this.emit("drain");
  }
  lose(): void {
    this.onClose({ description: "connection lost" });
  }
}

function opened(s: EngineSocket): Promise<void> {
  return new Promise((resolve) => s.once("open", () => resolve()));
}

describe("client session close()", () => {
  before(() => {
    transports.scripted = { rank: 1, available: () => true, create: (opts) => new Scripted(opts) };
  });
  after(() => {
    delete transports.scripted;
  });

  it("waits for the write in flight, then closes with 'forced close'", async () => {
    const s = new EngineSocket("http://127.0.0.1:1", { transports: ["scripted"] });
    await opened(s);
    const closes: string[] = [];
    s.on("close", (reason) => closes.push(reason));
    s.send("a");
    s.close();
    expect(s.readyState).to.equal("closing");
    expect(closes).to.deep.equal([]);
    Scripted.last!.finishWrite();
    expect(closes).to.deep.equal(["forced close"]);
    expect(Scripted.last!.written).to.deep.equal([[{ type: "message", data: "a" }]]);
  });

  it("a close() cut short by a lost transport does not close the next session when it drains", async () => {
    const s = new EngineSocket("http://127.0.0.1:1", { transports: ["scripted"] });
    await opened(s);
    const closes: string[] = [];
    s.on("close", (reason) => closes.push(reason));
    s.send("a");
    s.close();
    Scripted.last!.lose();
    expect(closes).to.deep.equal(["transport close"]);

    s.open();
    await opened(s);
    s.send("b");
    Scripted.last!.finishWrite();
    expect(s.readyState).to.equal("open");
    expect(closes).to.deep.equal(["transport close"]);
    s.close();
    expect(closes).to.deep.equal(["transport close", "forced close"]);
  });
});
