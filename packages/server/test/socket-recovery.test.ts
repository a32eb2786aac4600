import { expect } from "chai";
import { type BroadcastOperator, type DefaultEventsMap, Server, type Socket } from "../src/socket/index.js";
import { ManualTimers } from "../src/timers.js";
import { FakeEngine, FakeSession, flush } from "./socket-fakes.js";

/**
 * A broadcast as an untyped (DefaultEventsMap) server should offer it. typed-events.ts's
 * RemoveAcknowledgements<DefaultEventsMap> has no keys, so `io.volatile.emit(ev)` accepts no event name at all
 * (a src typing bug, reported).
 */
type UntypedBroadcast = BroadcastOperator<DefaultEventsMap>;

function setup(opts: Record<string, unknown> = {}) {
  const timers = new ManualTimers();
  const engine = new FakeEngine();
  const io = new Server({ timers, serveClient: false, ...opts });
  io.bind(engine);
  return { io, engine, timers };
}

async function connect(engine: FakeEngine, io: Server, packet = "0") {
  let socket: Socket | undefined;
  const session = engine.connect(new FakeSession());
  io.once("connection", (s) => {
    socket = s;
  });
  session.receive(packet);
  await flush();
  return { session, socket: socket! };
}

const OFFSET = /,"([\w-]+\.[0-9a-z]+)"\]$/;

describe("socket layer: connection state recovery", () => {
  it("CONNECT reply has pid; events carry an offset; a reconnect within the window restores id, rooms, data and replays missed packets in order before CONNECT", async () => {
    const { io, engine } = setup({ connectionStateRecovery: { maxDisconnectionDuration: 60000 } });
    const a = await connect(engine, io);
    const other = await connect(engine, io);
    const m = /^0\{"sid":"([\w-]+)","pid":"([\w-]+)"\}$/.exec(a.session.texts[0]!);
    expect(m, a.session.texts[0]).to.not.equal(null);
    const pid = m![2]!;
    a.socket.join("room");
    a.socket.data = { name: "alice" };
    a.socket.emit("direct", 1);
    const offset = OFFSET.exec(a.session.texts.at(-1)!)![1]!;
    expect(a.session.texts.at(-1)).to.equal(`2["direct",1,"${offset}"]`);
    a.session.drop("transport close");
    // missed while away: a broadcast, a room emit, a room emit it is excluded from, a direct emit to its id
    io.emit("b1");
    io.to("room").emit("r1");
    io.to("room").except("room").emit("never");
    io.to(a.socket.id).emit("d1");
    io.to("elsewhere").emit("never2");
    const restoredConnection: Socket[] = [];
    io.on("connection", (s) => restoredConnection.push(s));
    const session2 = engine.connect(new FakeSession());
    session2.receive(`0{"pid":"${pid}","offset":"${offset}","token":"x"}`);
    await flush();
    const texts = session2.texts;
    expect(texts.slice(0, 3).map((t) => t.replace(OFFSET, "]"))).to.deep.equal([
      '2["b1"]',
      '2["r1"]',
      '2["d1"]',
    ]);
    expect(texts[3]).to.equal(`0{"sid":"${a.socket.id}","pid":"${pid}"}`);
    const s = restoredConnection[0]!;
    expect(s.recovered).to.equal(true);
    expect(s.id).to.equal(a.socket.id);
    expect([...s.rooms].sort()).to.deep.equal([a.socket.id, "room"].sort());
    expect(s.data).to.deep.equal({ name: "alice" });
    expect(s.handshake.auth).to.deep.equal({ token: "x" }); // pid and offset are not exposed
    expect(JSON.stringify(other.session.texts)).to.not.include(pid);
    await io.close();
  });

  it("a client that got no event yet (no offset) still gets what it missed", async () => {
    const { io, engine } = setup({ connectionStateRecovery: {} });
    const a = await connect(engine, io);
    const pid = JSON.parse(a.session.texts[0]!.slice(1)).pid as string;
    a.session.drop("ping timeout");
    io.emit("missed");
    const session2 = engine.connect(new FakeSession());
    session2.receive(`0{"pid":"${pid}"}`);
    await flush();
    expect(session2.texts[0]).to.match(/^2\["missed","[\w-]+\.[0-9a-z]+"\]$/);
    expect(session2.texts[1]).to.equal(`0{"sid":"${a.socket.id}","pid":"${pid}"}`);
    await io.close();
  });

  it("unknown pid, bad offset, expired session or a client-initiated disconnect → fresh session, no error", async () => {
    const { io, engine } = setup({ connectionStateRecovery: { maxDisconnectionDuration: 10 } });
    const s1 = engine.connect(new FakeSession());
    s1.receive('0{"pid":"unknown","offset":"x"}');
    await flush();
    expect(s1.texts[0]).to.match(/^0\{"sid":"[\w-]+","pid":"[\w-]+"\}$/);
    const a = await connect(engine, io);
    const pid = JSON.parse(a.session.texts[0]!.slice(1)).pid as string;
    a.session.receive("1"); // left on purpose: not kept
    const s2 = engine.connect(new FakeSession());
    s2.receive(`0{"pid":"${pid}"}`);
    await flush();
    expect(JSON.parse(s2.texts[0]!.slice(1)).sid).to.not.equal(a.socket.id);

    const b = await connect(engine, io);
    const pidB = JSON.parse(b.session.texts[0]!.slice(1)).pid as string;
    b.session.drop();
    await new Promise((r) => setTimeout(r, 30)); // the recovery window uses wall-clock time
    const s3 = engine.connect(new FakeSession());
    s3.receive(`0{"pid":"${pidB}","offset":{"nested":true}}`);
    await flush();
    expect(JSON.parse(s3.texts[0]!.slice(1)).sid).to.not.equal(b.socket.id);
    await io.close();
  });

  it("middlewares are skipped on recovery by default and run when skipMiddlewares is false", async () => {
    for (const skip of [true, false]) {
      const { io, engine } = setup({ connectionStateRecovery: { skipMiddlewares: skip } });
      let runs = 0;
      io.use((_s, next) => {
        runs++;
        next();
      });
      const a = await connect(engine, io);
      const pid = JSON.parse(a.session.texts[0]!.slice(1)).pid as string;
      a.session.drop();
      const s2 = engine.connect(new FakeSession());
      s2.receive(`0{"pid":"${pid}"}`);
      await flush();
      expect(runs).to.equal(skip ? 1 : 2);
      await io.close();
    }
  });

  it("packets with acks and volatile packets get no offset and are not stored", async () => {
    const { io, engine } = setup({ connectionStateRecovery: {} });
    const a = await connect(engine, io);
    a.socket.emit("withAck", () => {});
    a.socket.volatile.emit("vol");
    (io.volatile as UntypedBroadcast).emit("vol2");
    expect(a.session.texts.slice(1)).to.deep.equal(['20["withAck"]', '2["vol"]', '2["vol2"]']);
    await io.close();
  });
});

describe("socket layer: deduplication of client retries", () => {
  it("delivers a retried event once and answers the retry's ack with the first answer", async () => {
    const { io, engine } = setup({ deduplicate: true });
    const a = await connect(engine, io);
    const handled: unknown[] = [];
    let pendingAck: ((v: unknown) => void) | undefined;
    a.socket.on("chat", (msg: { id: string }, ack: (v: unknown) => void) => {
      handled.push(msg.id);
      pendingAck = ack;
    });
    a.session.clear();
    a.session.receive('20["chat",{"id":"m1","text":"hi"}]');
    a.session.receive('21["chat",{"id":"m1","text":"hi"}]'); // retry while the handler has not answered
    expect(handled).to.deep.equal(["m1"]);
    pendingAck!("stored");
    expect(a.session.texts).to.deep.equal(['30["stored"]', '31["stored"]']);
    a.session.receive('22["chat",{"id":"m1","text":"hi"}]'); // retry after the answer was sent
    expect(a.session.texts.at(-1)).to.equal('32["stored"]');
    a.session.receive('23["chat",{"id":"m2"}]', '2["chat","no id"]', '2["chat","no id"]');
    expect(handled).to.deep.equal(["m1", "m2", undefined, undefined]);
    await io.close();
  });

  it("the window is bounded and a custom key works", async () => {
    const { io, engine } = setup({
      deduplicate: { windowSize: 2, key: (_ev: unknown, args: readonly unknown[]) => args[0] as string },
    });
    const a = await connect(engine, io);
    const handled: string[] = [];
    a.socket.on("m", (k: string) => handled.push(k));
    a.session.receive('2["m","a"]', '2["m","b"]', '2["m","a"]', '2["m","c"]', '2["m","a"]');
    expect(handled).to.deep.equal(["a", "b", "c", "a"]);
    await io.close();
  });

  it("the window survives connection state recovery", async () => {
    const { io, engine } = setup({ deduplicate: true, connectionStateRecovery: {} });
    const a = await connect(engine, io);
    const pid = JSON.parse(a.session.texts[0]!.slice(1)).pid as string;
    let count = 0;
    io.on("connection", (s) => s.on("chat", () => count++));
    a.socket.on("chat", () => count++);
    a.session.receive('2["chat",{"id":"k"}]');
    a.session.drop();
    const s2 = engine.connect(new FakeSession());
    s2.receive(`0{"pid":"${pid}"}`);
    await flush();
    s2.receive('2["chat",{"id":"k"}]', '2["chat",{"id":"k2"}]');
    expect(count).to.equal(2);
    await io.close();
  });
});
