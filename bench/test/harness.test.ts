import { expect } from "chai";
import { ratio, renderScenario } from "../src/core/format.js";
import { alternate } from "../src/core/rounds.js";
import { percentile, spread } from "../src/core/stats.js";
import type { RunOptions, ScenarioResult } from "../src/core/types.js";
import { Counters } from "../src/load/counters.js";
import { echoFrame, isEcho, isHello, isMessage, streamTimestamp, triggerFrame } from "../src/load/frames.js";

const options = (rounds: number): RunOptions => ({ quick: false, rounds, log: () => {} });

describe("bench harness: statistics", () => {
  it("spread gives min, median and max for odd and even sample counts", () => {
    expect(spread([3, 1, 2])).to.deep.equal({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 3, 2])).to.deep.equal({ min: 1, median: 2.5, max: 4 });
    expect(() => spread([])).to.throw(RangeError);
  });

  it("percentile is nearest-rank over unsorted values", () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).to.equal(5);
    expect(percentile(values, 99)).to.equal(10);
    expect(percentile(values, 0)).to.equal(1);
    expect(Number.isNaN(percentile([], 50))).to.equal(true);
  });
});

describe("bench harness: alternating rounds", () => {
  it("runs every system once per round and reverses the order on odd rounds", async () => {
    const calls: string[] = [];
    const results = await alternate(["ladder", "socket.io", "ws"], options(3), async (system, round) => {
      calls.push(`${system}@${round}`);
      return round;
    });
    expect(calls).to.deep.equal([
      "ladder@0",
      "socket.io@0",
      "ws@0",
      "ws@1",
      "socket.io@1",
      "ladder@1",
      "ladder@2",
      "socket.io@2",
      "ws@2",
    ]);
    expect(results.get("socket.io")).to.deep.equal([0, 1, 2]);
  });
});

describe("bench harness: table", () => {
  const result: ScenarioResult = {
    name: "demo",
    title: "Demo",
    systems: [
      { id: "ladder", label: "Ladder" },
      { id: "base", label: "Base" },
    ],
    comparisons: [{ ours: "ladder", baseline: "base" }],
    rows: [
      {
        case: "a",
        unit: "ops/s",
        better: "higher",
        cells: { ladder: { samples: [300, 100, 200] }, base: { samples: [100] } },
      },
      {
        case: "b",
        unit: "ms",
        better: "lower",
        cells: { ladder: { skipped: "not available yet: no X" }, base: { samples: [2] } },
      },
    ],
    notes: ["a note | with a pipe"],
  };

  it("computes ratios on medians and refuses them when a side is skipped", () => {
    expect(ratio({ samples: [300, 100, 200] }, { samples: [100] })).to.equal(2);
    expect(ratio({ skipped: "x" }, { samples: [1] })).to.equal(undefined);
    expect(ratio({ samples: [1] }, { samples: [0] })).to.equal(undefined);
  });

  it("renders median (min–max), skip reasons verbatim, ratio columns and lower-is-better units", () => {
    const lines = renderScenario(result).split("\n");
    expect(lines[0]).to.equal("### Demo (`demo`)");
    expect(lines[2]).to.equal("| Case | Unit | Ladder | Base | Ladder ÷ Base |");
    expect(lines[3]).to.equal("|---|---|---:|---:|---:|");
    expect(lines[4]).to.equal("| a | ops/s | 200 (100–300) | 100 | 2.00× |");
    expect(lines[5]).to.equal("| b | ms (lower is better) | not available yet: no X | 2 | — |");
    expect(lines[7]).to.equal("- a note | with a pipe");
  });
});

describe("bench harness: wire frames of the raw load clients", () => {
  it("writes the literal Engine.IO / Socket.IO frames", () => {
    expect(echoFrame("ws", "ab")).to.equal("ab");
    expect(echoFrame("eio", "ab")).to.equal("4ab");
    expect(echoFrame("sio", "ab")).to.equal('42["echo","ab"]');
    expect(triggerFrame("sio")).to.equal('42["bcast"]');
    expect(triggerFrame("eio")).to.equal("4b");
    expect(triggerFrame("ws")).to.equal("b");
  });

  it("recognises echoes, messages and hello, and ignores pings and other events", () => {
    expect(isEcho("sio", '42["echo","ab"]')).to.equal(true);
    expect(isEcho("sio", '42["other","ab"]')).to.equal(false);
    expect(isEcho("eio", "2")).to.equal(false);
    expect(isMessage("sio", '42["msg","x"]')).to.equal(true);
    expect(isMessage("sio", "43[1]")).to.equal(false);
    expect(isHello("sio", '42["hello"]')).to.equal(true);
    expect(isHello("eio", "4hello")).to.equal(true);
    expect(isHello("ws", "hello")).to.equal(true);
  });

  it("reads the send timestamp of streamed messages", () => {
    expect(streamTimestamp("sio", '42["m",1700000000000.25]')).to.equal(1700000000000.25);
    expect(streamTimestamp("eio", "4m12.5")).to.equal(12.5);
    expect(streamTimestamp("ws", "m7")).to.equal(7);
    expect(Number.isNaN(streamTimestamp("sio", '42["x",1]'))).to.equal(true);
  });
});

describe("bench harness: load counters", () => {
  it("reports latency percentiles since the previous snapshot, then starts over", () => {
    const c = new Counters();
    for (let i = 1; i <= 100; i++) c.latency(i);
    c.count = 100;
    const first = c.snapshot();
    expect(first).to.include({ count: 100, errors: 0, p50: 50, p99: 99 });
    const second = c.snapshot();
    expect(second.p50).to.equal(undefined);
    c.error(new Error("boom"));
    c.error(new Error("later"));
    expect(c.snapshot()).to.include({ errors: 2, firstError: "boom" });
  });

  it("keeps a bounded reservoir however many samples arrive", () => {
    const c = new Counters();
    for (let i = 0; i < 200_000; i++) c.latency(i % 10);
    const s = c.snapshot();
    expect(s.p99).to.equal(9);
    expect(s.p50).to.be.within(3, 6);
  });
});
