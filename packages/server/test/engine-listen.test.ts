import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Engine } from "../src/engine/engine.js";
import { EIO, http, WsClient, wsUrl } from "./helpers.js";

describe("engine: listen()", () => {
  it("serves the engine on its own server (other paths 501) and close() closes that server", async () => {
    const engine = new Engine();
    const server = engine.listen(0);
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const res = await http(port, "GET", `${EIO}&transport=polling`);
    expect(res.status).to.equal(200);
    expect(res.body[0]).to.equal("0");
    expect((await http(port, "GET", "/other")).status).to.equal(501);
    const c = new WsClient(wsUrl(port, ""));
    expect(((await c.next()) as string)[0]).to.equal("0");
    const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
    engine.close();
    await c.closed;
    await closed;
    expect(server.listening).to.equal(false);
    expect(engine.clientsCount).to.equal(0);
  });
});
