import { expect } from "chai";
import {
  type BroadcastOperator,
  type DefaultEventsMap,
  Server,
  type ServerOptions,
  type Socket,
} from "../src/socket/index.js";
import { ManualTimers } from "../src/timers.js";
import { FakeEngine, FakeSession, flush } from "./socket-fakes.js";

/**
 * emitWithAck as an untyped (DefaultEventsMap) emitter should offer it. typed-events.ts's AllButLast<any[]> is
 * never, so with the default event map the src signature accepts no arguments at all (a src typing bug, reported).
 */
type UntypedEmitWithAck = { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };
/** The same AllButLast bug for serverSideEmitWithAck. */
type UntypedServerSideEmitWithAck = {
  serverSideEmitWithAck(ev: string, ...args: unknown[]): Promise<unknown>;
};

/**
 * A broadcast as an untyped (DefaultEventsMap) server should offer it. typed-events.ts's
 * RemoveAcknowledgements<DefaultEventsMap> has no keys, so `io.volatile.emit(ev)` accepts no event name at all
 * (a src typing bug, reported).
 */
type UntypedBroadcast = BroadcastOperator<DefaultEventsMap>;

function setup(opts: Partial<ServerOptions> = {}) {
  const timers = new ManualTimers();
  const engine = new FakeEngine();
  const io = new Server({ timers, serveClient: false, ...(opts as object) });
  io.bind(engine);
  return { io, engine, timers };
}

async function connect(
  engine: FakeEngine,
  io: Server,
  packet = "0",
  session = new FakeSession(),
): Promise<{ session: FakeSession; socket: Socket }> {
  let socket: Socket | undefined;
  const nsp = packet.startsWith("0/") ? packet.slice(1, packet.indexOf(",")) : "/";
  io.of(nsp).once("connection", (s) => {
    socket = s;
  });
  engine.connect(session);
  session.receive(packet);
  await flush();
  expect(socket, "socket connected").to.not.equal(undefined);
  return { session, socket: socket! };
}

describe("socket layer (in-memory engine double)", () => {
  it("answers CONNECT with the socket id (not the engine sid) and exposes handshake and auth", async () => {
    const { io, engine } = setup();
    const session = new FakeSession({ name: "bob" });
    const { socket } = await connect(engine, io, '0{"token":"abc"}', session);
    expect(session.texts).to.deep.equal([`0{"sid":"${socket.id}"}`]);
    expect(socket.id).to.not.equal(session.id);
    expect(socket.id).to.match(/^[A-Za-z0-9_-]{20}$/);
    expect(socket.handshake.auth).to.deep.equal({ token: "abc" });
    expect(socket.handshake.query.name).to.equal("bob");
    expect(socket.handshake.address).to.equal("127.0.0.1");
    expect(socket.connected).to.equal(true);
    expect([...socket.rooms]).to.deep.equal([socket.id]);
    await io.close();
  });

  it("emits events with literal wire format, binary as attachments in one sendAll", async () => {
    const { io, engine } = setup();
    const { session, socket } = await connect(engine, io);
    session.clear();
    socket.emit("hello", 1, "two", { three: [4] });
    socket.emit("bin", { b: new Uint8Array([1, 2]) });
    expect(session.sends[0]!.data).to.deep.equal(['2["hello",1,"two",{"three":[4]}]']);
    expect(session.sends[1]!.data[0]).to.equal('51-["bin",{"b":{"_placeholder":true,"num":0}}]');
    expect([...(session.sends[1]!.data[1] as Uint8Array)]).to.deep.equal([1, 2]);
    expect(() => socket.emit("disconnect" as never)).to.throw(/reserved/);
    await io.close();
  });

  it("dispatches client events (including 'error' and odd names) with acks answered once", async () => {
    const { io, engine } = setup();
    const { session, socket } = await connect(engine, io);
    const got: unknown[][] = [];
    socket.on("error", (...a: unknown[]) => got.push(["error", ...a]));
    socket.on("__proto__", (...a: unknown[]) => got.push(["__proto__", ...a]));
    socket.on("sum", (a: number, b: number, ack: (n: number) => void) => {
      ack(a + b);
      ack(999); // ignored: an ack is answered once
    });
    session.clear();
    session.receive('2["error","boom"]', '2["__proto__",1]', '2["hasOwnProperty"]', '213["sum",1,2]');
    expect(got).to.deep.equal([
      ["error", "boom"],
      ["__proto__", 1],
    ]);
    expect(session.texts).to.deep.equal(["313[3]"]);
    await io.close();
  });

  it("acks from the client: resolve once, ignore unknown/duplicate ids, time out with no leak", async () => {
    const { io, engine, timers } = setup();
    const { session, socket } = await connect(engine, io);
    const answers: unknown[][] = [];
    socket.emit("q", (...a: unknown[]) => answers.push(a));
    socket.timeout(50).emit("q2", (...a: unknown[]) => answers.push(a));
    expect(session.texts.slice(1)).to.deep.equal(['20["q"]', '21["q2"]']);
    session.receive("30[1]", "30[2]", "37[1]");
    expect(answers).to.deep.equal([[1]]);
    timers.advance(50);
    expect(answers.length).to.equal(2);
    expect((answers[1]![0] as Error).message).to.equal("operation has timed out");
    session.receive("31[5]"); // late answer: ignored
    expect(answers.length).to.equal(2);
    expect(timers.size).to.equal(0);
    const p = (socket.timeout(1000) as UntypedEmitWithAck).emitWithAck("q3");
    session.receive("32[42]");
    expect(await p).to.equal(42);
    await io.close();
  });

  it("pending error-first acks fail on disconnect and their timers are cleared", async () => {
    const { io, engine, timers } = setup();
    const { session, socket } = await connect(engine, io);
    const answers: unknown[] = [];
    socket.timeout(1000).emit("q", (err: Error | null) => answers.push(err?.message));
    session.drop("transport close");
    expect(answers).to.deep.equal(["socket has been disconnected"]);
    expect(timers.size).to.equal(0);
    await io.close();
  });

  it("disconnect reasons: client namespace disconnect, server namespace disconnect, transport close", async () => {
    const { io, engine } = setup();
    const reasons: string[] = [];
    const a = await connect(engine, io);
    a.socket.on("disconnecting", () => reasons.push(`rooms:${a.socket.rooms.size}`));
    a.socket.on("disconnect", (r) => reasons.push(r));
    a.session.receive("1");
    const b = await connect(engine, io);
    b.socket.on("disconnect", (r) => reasons.push(r));
    b.session.clear();
    b.socket.disconnect();
    expect(b.session.texts).to.deep.equal(["1"]);
    const c = await connect(engine, io);
    c.socket.on("disconnect", (r) => reasons.push(r));
    c.session.drop("ping timeout");
    expect(reasons).to.deep.equal([
      "rooms:1",
      "client namespace disconnect",
      "server namespace disconnect",
      "ping timeout",
    ]);
    expect(io.sockets.sockets.size).to.equal(0);
    expect(io.sockets.adapter.rooms.size).to.equal(0);
    await io.close();
  });

  it("broadcast encodes once: every recipient gets the very same array; rooms and except select", async () => {
    const { io, engine } = setup();
    const peers = [];
    for (let i = 0; i < 4; i++) peers.push(await connect(engine, io));
    peers[0]!.socket.join("r");
    peers[1]!.socket.join(["r", "x"]);
    peers[2]!.socket.join("x");
    for (const p of peers) p.session.clear();
    io.emit("all", 1);
    const arrays = peers.map((p) => p.session.sends[0]!.data);
    for (const a of arrays) expect(a).to.equal(arrays[0]);
    expect(arrays[0]).to.deep.equal(['2["all",1]']);
    for (const p of peers) p.session.clear();
    io.to("r").except("x").emit("r-not-x");
    io.to(["r", "x"]).emit("r-or-x");
    peers[0]!.socket.broadcast.emit("not-me");
    peers[0]!.socket.to("r").emit("r-from-0");
    expect(peers.map((p) => p.session.texts)).to.deep.equal([
      ['2["r-not-x"]', '2["r-or-x"]'],
      ['2["r-or-x"]', '2["not-me"]', '2["r-from-0"]'],
      ['2["r-or-x"]', '2["not-me"]'],
      ['2["not-me"]'],
    ]);
    await io.close();
  });

  it("io.timeout().emit collects every recipient's ack; timeout gives partial answers and drops entries", async () => {
    const { io, engine, timers } = setup();
    const a = await connect(engine, io);
    const b = await connect(engine, io);
    let result: unknown;
    io.timeout(100).emit("ping", (err: Error | null, responses: unknown[]) => {
      result = [err?.message ?? null, responses];
    });
    const id = /^2(\d+)\["ping"\]$/.exec(a.session.texts.at(-1)!)![1];
    expect(b.session.texts.at(-1)).to.equal(`2${id}["ping"]`);
    a.session.receive(`3${id}["a"]`);
    a.session.receive(`3${id}["a-again"]`); // double ack: ignored
    await flush();
    expect(result).to.equal(undefined);
    b.session.receive(`3${id}["b"]`);
    await flush();
    expect(result).to.deep.equal([null, ["a", "b"]]);
    expect(timers.size).to.equal(0);

    let result2: unknown;
    io.timeout(100).emit("ping2", (err: Error | null, responses: unknown[]) => {
      result2 = [err?.message ?? null, responses];
    });
    const id2 = /^2(\d+)/.exec(a.session.texts.at(-1)!)![1];
    a.session.receive(`3${id2}["a"]`);
    await flush();
    timers.advance(100);
    expect(result2).to.deep.equal(["operation has timed out", ["a"]]);
    // b's pending entry was dropped: its late answer is ignored and nothing is left behind
    b.session.receive(`3${id2}["late"]`);
    expect((b.socket as unknown as { _acks?: Map<number, unknown> })._acks?.size ?? 0).to.equal(0);
    await io.close();
  });

  it("broadcast acks complete when a recipient disconnects instead of answering", async () => {
    const { io, engine } = setup();
    const a = await connect(engine, io);
    const b = await connect(engine, io);
    const p = (io as UntypedEmitWithAck).emitWithAck("q");
    const id = /^2(\d+)/.exec(a.session.texts.at(-1)!)![1];
    a.session.receive(`3${id}[1]`);
    b.session.drop();
    expect(await p).to.deep.equal([1]);
    await io.close();
  });

  it("connection middleware: error reaches the client as CONNECT_ERROR with message and data", async () => {
    const { io, engine } = setup();
    io.use(async (socket, next) => {
      if (socket.handshake.auth.token !== "ok") {
        const err = Object.assign(new Error("not authorized"), { data: { code: 401 } });
        next(err);
        return;
      }
      next();
    });
    const session = engine.connect(new FakeSession());
    session.receive('0{"token":"bad"}');
    await flush();
    expect(session.texts).to.deep.equal(['4{"message":"not authorized","data":{"code":401}}']);
    expect(io.sockets.sockets.size).to.equal(0);
    session.receive('0{"token":"ok"}');
    await flush();
    expect(session.texts[1]).to.match(/^0\{"sid":"[\w-]{20}"\}$/);
    io.of("/thrower").use(() => {
      throw new Error("sync throw");
    });
    session.receive("0/thrower,");
    await flush();
    expect(session.texts[2]).to.equal('4/thrower,{"message":"sync throw"}');
    await io.close();
  });

  it("unknown namespace → Invalid namespace; dynamic namespaces by RegExp and by function", async () => {
    const { io, engine } = setup();
    const seen: string[] = [];
    io.of(/^\/room-\d+$/).on("connection", (s) => seen.push(s.nsp.name));
    io.of((name, auth, next) => next(null, name === "/fn" && auth.ok === true)).use((_s, next) => next());
    const session = engine.connect(new FakeSession());
    session.receive("0/nope,", "0/room-12,", '0/fn,{"ok":false}');
    await flush();
    session.receive('0/fn,{"ok":true}');
    await flush();
    expect(session.texts[0]).to.equal('4/nope,{"message":"Invalid namespace"}');
    expect(session.texts.filter((t) => t.startsWith("0/room-12,"))).to.have.length(1);
    expect(session.texts).to.include('4/fn,{"message":"Invalid namespace"}');
    expect(session.texts.at(-1)).to.match(/^0\/fn,\{"sid":/);
    expect(seen).to.deep.equal(["/room-12"]);
    expect(io._nsps.has("/room-12")).to.equal(true);
    await io.close();
  });

  it("new_namespace fires for static and dynamic namespaces; empty children are cleaned up when asked", async () => {
    const { io, engine } = setup({ cleanupEmptyChildNamespaces: true });
    const created: string[] = [];
    io.on("new_namespace", (nsp) => created.push(nsp.name));
    io.of("static");
    const parent = io.of(/^\/dyn-\d+$/);
    const { session } = await connect(engine, io, "0/static,");
    session.receive("0/dyn-1,");
    await flush();
    expect(created).to.deep.equal(["/static", "/dyn-1"]);
    expect(io._nsps.has("/dyn-1")).to.equal(true);
    session.receive("1/dyn-1,");
    expect(io._nsps.has("/dyn-1")).to.equal(false);
    expect((parent as unknown as { children: Set<unknown> }).children.size).to.equal(0);
    expect(io._nsps.has("/static")).to.equal(true);
    await io.close();
  });

  it("closes a connection that never sends CONNECT after connectTimeout", async () => {
    const { io, engine, timers } = setup({ connectTimeout: 300 });
    const session = engine.connect(new FakeSession());
    timers.advance(299);
    expect(session.closeCalls).to.equal(0);
    timers.advance(1);
    expect(session.closeCalls).to.equal(1);
    const ok = await connect(engine, io);
    timers.advance(1000);
    expect(ok.session.closeCalls).to.equal(0);
    await io.close();
  });

  it("fetchSockets, socketsJoin, socketsLeave, disconnectSockets, local, serverSideEmit", async () => {
    const { io, engine } = setup();
    const a = await connect(engine, io);
    const b = await connect(engine, io);
    a.socket.data = { user: "a" };
    a.socket.join("room");
    const inRoom = await io.in("room").fetchSockets();
    expect(inRoom.map((s) => s.id)).to.deep.equal([a.socket.id]);
    expect(inRoom[0]!.data).to.deep.equal({ user: "a" });
    io.except("room").socketsJoin("others");
    expect([...b.socket.rooms]).to.include("others");
    io.socketsLeave("others");
    expect([...b.socket.rooms]).to.not.include("others");
    io.local.emit("l");
    expect(b.session.texts.at(-1)).to.equal('2["l"]');
    const responses = await (io as UntypedServerSideEmitWithAck).serverSideEmitWithAck("hello");
    expect(responses).to.deep.equal([]);
    expect(() => io.serverSideEmit("connection" as never)).to.throw(/reserved/);
    io.in("room").disconnectSockets();
    expect(a.socket.connected).to.equal(false);
    expect(b.socket.connected).to.equal(true);
    io.disconnectSockets(true);
    expect(b.session.closeCalls).to.equal(1);
    await io.close();
  });

  it("onAny / prependAny / offAny, onAnyOutgoing, socket.use middleware", async () => {
    const { io, engine } = setup();
    const { session, socket } = await connect(engine, io);
    const log: string[] = [];
    const any = (ev: string | number) => log.push(`any:${ev}`);
    socket.onAny(any);
    socket.prependAny((ev) => log.push(`first:${ev}`));
    socket.onAnyOutgoing((ev) => log.push(`out:${ev}`));
    socket.use((packet, next) => (packet[0] === "blocked" ? next(new Error("blocked!")) : next()));
    socket.on("error", (err: Error) => log.push(`error:${err.message}`));
    socket.on("x", () => log.push("x"));
    session.receive('2["x"]', '2["blocked"]');
    socket.offAny(any);
    session.receive('2["x"]');
    socket.emit("y");
    io.emit("z");
    expect(log).to.deep.equal(["first:x", "any:x", "x", "error:blocked!", "first:x", "x", "out:y", "out:z"]);
    await io.close();
  });

  it("volatile and compress flags reach the session (direct and broadcast)", async () => {
    const { io, engine } = setup();
    const { session, socket } = await connect(engine, io);
    session.clear();
    socket.volatile.emit("a");
    socket.compress(false).emit("b");
    socket.emit("c");
    (io.volatile as UntypedBroadcast).emit("d");
    io.compress(false).emit("e");
    expect(session.sends.map((s) => [s.data[0], s.options])).to.deep.equal([
      ['2["a"]', { compress: true, volatile: true }],
      ['2["b"]', { compress: false, volatile: false }],
      ['2["c"]', { compress: true, volatile: false }],
      ['2["d"]', { compress: true, volatile: true }],
      ['2["e"]', { compress: false, volatile: false }],
    ]);
    await io.close();
  });

  it("io.close(): every socket sees 'server shutting down', the engine is closed", async () => {
    const { io, engine } = setup();
    const { session, socket } = await connect(engine, io);
    let reason = "";
    socket.on("disconnect", (r) => {
      reason = r;
    });
    await io.close();
    expect(reason).to.equal("server shutting down");
    expect(session.closeCalls).to.equal(1);
    expect(engine.closed).to.equal(true);
  });
});
