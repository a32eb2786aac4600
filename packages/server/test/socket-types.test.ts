/**
 * Typed events: compile-time checks. `pnpm --filter @ladder/server typecheck:test` (tsc --noEmit -p
 * test/tsconfig.socket-types.json) verifies every `@ts-expect-error` below is a real error and everything else
 * compiles; mocha additionally runs the typed server once over the in-memory engine double.
 */
import { expect } from "chai";
import { Server } from "../src/socket/index.js";
import { ManualTimers } from "../src/timers.js";
import { FakeEngine, FakeSession, flush } from "./socket-fakes.js";

interface ClientToServer {
  hello: (name: string, cb: (greeting: string) => void) => void;
  ping: () => void;
}
interface ServerToClient {
  news: (n: number) => void;
  ask: (q: string, cb: (answer: number) => void) => void;
}
interface InterServer {
  sync: (v: string) => void;
}
interface Data {
  user: string;
}

function typedServer(): Server<ClientToServer, ServerToClient, InterServer, Data> {
  const io = new Server<ClientToServer, ServerToClient, InterServer, Data>({
    timers: new ManualTimers(),
    serveClient: false,
  });

  io.on("connection", (socket) => {
    socket.data.user = "ann";
    socket.on("hello", (name, cb) => {
      const n: string = name;
      cb(`hi ${n}`);
      // @ts-expect-error the ack takes a string
      cb(1);
    });
    socket.on("ping", () => {});
    // @ts-expect-error not a client-to-server event
    socket.on("news", () => {});
    // @ts-expect-error wrong listener signature
    socket.on("hello", (n: number) => n);
    socket.on("disconnect", (reason) => {
      const r: string = reason;
      void r;
    });
    socket.emit("news", 1);
    // @ts-expect-error news takes a number
    socket.emit("news", "1");
    // @ts-expect-error unknown event
    socket.emit("other");
    socket.emit("ask", "q", (answer) => {
      const a: number = answer;
      void a;
    });
    socket.timeout(100).emit("ask", "q", (err, answer) => {
      const e: Error | null = err;
      const a: number = answer;
      void e;
      void a;
    });
    const p1: Promise<number> = socket.emitWithAck("ask", "q");
    const p2: Promise<number> = socket.timeout(100).emitWithAck("ask", "q");
    void p1;
    void p2;
    // @ts-expect-error news has no ack
    void socket.emitWithAck("news", 1);
    const u: string = socket.data.user;
    void u;
    // @ts-expect-error not in SocketData
    void socket.data.missing;
    socket.to("room").emit("news", 2);
    // @ts-expect-error wrong argument through a broadcast operator
    socket.broadcast.emit("news", "x");
  });

  io.to("room").emit("news", 2);
  io.timeout(100).emit("ask", "q", (err, answers) => {
    const e: Error | null = err;
    const a: number[] = answers;
    void e;
    void a;
  });
  // @ts-expect-error volatile broadcasts cannot wait for acks
  io.volatile.emit("ask", "q", () => {});
  io.serverSideEmit("sync", "x");
  // @ts-expect-error sync takes a string
  io.serverSideEmit("sync", 1);
  io.on("sync", (v) => {
    const s: string = v;
    void s;
  });
  io.of("/admin").on("connection", (socket) => {
    const d: Data = socket.data;
    void d;
  });
  // @ts-expect-error unknown server-side event
  io.on("unknown-server-event", () => {});
  return io;
}

/** Untyped servers take anything, as socket.io's do: acks, volatile broadcasts, emitWithAck with any args. */
export function untypedServer(): Server {
  const io = new Server();
  io.volatile.emit("x", 1, { a: 2 });
  io.of("/admin").volatile.emit("x");
  void io.emitWithAck("q");
  void io.timeout(100).emitWithAck("q", 1);
  io.on("connection", (socket) => {
    void socket.emitWithAck("q", 1, "two");
    socket.volatile.emit("y");
    socket.broadcast.volatile.emit("z", 3);
    socket.emit("ack-me", (answer: unknown) => void answer);
  });
  return io;
}

describe("socket layer: typed events", () => {
  it("a typed server runs: typed handlers receive and answer over the engine double", async () => {
    const io = typedServer();
    const engine = new FakeEngine();
    io.bind(engine);
    const session = engine.connect(new FakeSession());
    session.receive("0");
    await flush();
    session.receive('27["hello","bob"]');
    expect(session.texts, JSON.stringify(session.texts)).to.include('37["hi bob"]');
    expect(session.texts.filter((t) => t.startsWith("37"))).to.have.length(1); // the second cb() was ignored
    expect([...io.sockets.sockets.values()][0]!.data.user).to.equal("ann");
    await io.close();
  });
});
