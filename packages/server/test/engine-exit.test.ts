import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

describe("engine: graceful close", () => {
  it("after engine.close() and server.close() the process exits by itself (no timer or socket left)", async function () {
    this.timeout(15000);
    const script = fileURLToPath(new URL("./fixtures/exit-after-close.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill("SIGKILL"), 10000);
      child.on("exit", (c) => {
        clearTimeout(killer);
        resolve(c);
      });
    });
    expect(err).to.equal("");
    expect(code).to.equal(0);
    // Well below every timer the script armed (60 s): the exit is caused by close(), not by timers running out.
    expect(Date.now() - started).to.be.below(9000);
    expect(JSON.parse(out.trim())).to.deep.equal({ clients: 0, pendingGet: "1" });
  });
});
