import { expect } from "chai";
import { PingSchedule, pingScheduleOf } from "../src/engine/heartbeat.js";
import { resolveOptions } from "../src/engine/options.js";
import { ManualTimers } from "../src/timers.js";

/** ManualTimers plus the clock the schedule reads (ManualTimers keeps its own time private). */
function clocked(): { timers: ManualTimers; now: () => number; advance: (ms: number) => void } {
  const timers = new ManualTimers();
  let now = 0;
  return {
    timers,
    now: () => now,
    advance(ms) {
      // Step 1 ms at a time so the clock the schedule reads matches the time the timer fires at.
      for (let i = 0; i < ms; i++) {
        now++;
        timers.advance(1);
      }
    },
  };
}

function target(name: string, log: string[], onDue?: () => void): { _pingDue(): void } {
  return {
    _pingDue() {
      log.push(name);
      onDue?.();
    },
  };
}

describe("engine: shared ping schedule", () => {
  it("fires each session exactly one interval after it was scheduled, in order, with one timer", () => {
    const c = clocked();
    const s = new PingSchedule(c.timers, 100, c.now);
    const log: string[] = [];
    s.add(target("a", log));
    c.advance(10);
    s.add(target("b", log));
    s.add(target("c", log));
    expect(c.timers.size).to.equal(1);
    c.advance(89);
    expect(log).to.deep.equal([]);
    c.advance(1);
    expect(log).to.deep.equal(["a"]);
    c.advance(9);
    expect(log).to.deep.equal(["a"]);
    c.advance(1);
    expect(log).to.deep.equal(["a", "b", "c"]);
    expect(s.size).to.equal(0);
    expect(c.timers.size).to.equal(0);
  });

  it("a re-add (pong) restarts that session's interval and moves it behind the others", () => {
    const c = clocked();
    const s = new PingSchedule(c.timers, 100, c.now);
    const log: string[] = [];
    const a = target("a", log);
    s.add(a);
    c.advance(10);
    s.add(target("b", log));
    c.advance(40);
    s.add(a); // due at 150 now
    c.advance(60); // t = 110
    expect(log).to.deep.equal(["b"]);
    c.advance(39);
    expect(log).to.deep.equal(["b"]);
    c.advance(1);
    expect(log).to.deep.equal(["b", "a"]);
  });

  it("remove() forgets a session; removing the last one clears the timer", () => {
    const c = clocked();
    const s = new PingSchedule(c.timers, 100, c.now);
    const log: string[] = [];
    const a = target("a", log);
    const b = target("b", log);
    s.add(a);
    s.add(b);
    s.remove(a);
    expect(c.timers.size).to.equal(1);
    s.remove(b);
    expect(c.timers.size).to.equal(0);
    c.advance(200);
    expect(log).to.deep.equal([]);
  });

  it("a session rescheduled from inside a ping does not delay the ones already waiting", () => {
    const c = clocked();
    const s = new PingSchedule(c.timers, 100, c.now);
    const log: string[] = [];
    const a: { _pingDue(): void } = target("a", log, () => s.add(a));
    s.add(a);
    c.advance(30);
    s.add(target("b", log));
    c.advance(70);
    expect(log).to.deep.equal(["a"]);
    c.advance(30);
    expect(log).to.deep.equal(["a", "b"]);
    c.advance(70);
    expect(log).to.deep.equal(["a", "b", "a"]);
  });

  it("a ping that throws does not stop the others' heartbeats", () => {
    const c = clocked();
    const s = new PingSchedule(c.timers, 100, c.now);
    const log: string[] = [];
    s.add(
      target("bad", log, () => {
        throw new Error("boom");
      }),
    );
    c.advance(5);
    s.add(target("good", log));
    expect(() => c.advance(95)).to.throw("boom");
    c.advance(5);
    expect(log).to.deep.equal(["bad", "good"]);
  });

  it("is used only on the real timers, one per engine options object", () => {
    const real = resolveOptions({});
    expect(pingScheduleOf(real)).to.be.instanceOf(PingSchedule);
    expect(pingScheduleOf(real)).to.equal(pingScheduleOf(real));
    expect(pingScheduleOf(resolveOptions({}))).to.not.equal(pingScheduleOf(real));
    expect(pingScheduleOf(resolveOptions({ timers: new ManualTimers() }))).to.equal(undefined);
  });
});
