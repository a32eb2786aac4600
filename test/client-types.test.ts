// Typed events on the client Socket, in socket.io-client's shape: `Socket<ServerToClient, ClientToServer>`.
// Compile-time: the root `tsc --noEmit` (part of `pnpm test`) checks that every `@ts-expect-error` below marks a
// real error and that everything else compiles. Runtime: the same typed client talks to a typed Ladder server
// (the event maps shared through @ladder/protocol), so the declarations describe what actually arrives.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type DisconnectReason, io, type LadderClientError, type Socket } from "@ladder/client";
import { Server } from "@ladder/server";
import { expect } from "chai";
import { once } from "./client-helpers.js";

interface ServerToClient {
  news: (n: number, title: string) => void;
  ask: (question: string, answer: (reply: number) => void) => void;
}
interface ClientToServer {
  hello: (name: string, greet: (greeting: string) => void) => void;
  ping: () => void;
}

/** Compile-time checks only (never called). */
function typeChecks(socket: Socket<ServerToClient, ClientToServer>, untyped: Socket): void {
  socket.on("news", (n, title) => {
    const a: number = n;
    const b: string = title;
    void [a, b];
  });
  socket.on("ask", (_question, answer) => answer(42));
  // @ts-expect-error the answer takes a number
  socket.on("ask", (_question, answer) => answer("42"));
  // @ts-expect-error hello is a client-to-server event
  socket.on("hello", () => {});
  // @ts-expect-error news carries a number first
  socket.on("news", (n: string) => n);
  socket.once("news", () => {});
  socket.off("news");
  socket.on("connect", () => {});
  socket.on("connect_error", (err) => {
    const e: LadderClientError = err;
    void e;
  });
  socket.on("disconnect", (reason, details) => {
    const r: DisconnectReason = reason;
    void [r, details];
  });
  // @ts-expect-error connect has no arguments to offer as a string
  socket.on("connect", (x: string) => x);

  socket.emit("hello", "ann", (greeting) => {
    const g: string = greeting;
    void g;
  });
  socket.emit("ping");
  socket.volatile.emit("ping");
  // @ts-expect-error hello takes a name
  socket.emit("hello", 1, () => {});
  // @ts-expect-error news is a server-to-client event
  socket.emit("news", 1, "t");
  // @ts-expect-error unknown event
  socket.emit("other");
  // After timeout(ms) the ack gets the error first.
  socket.timeout(100).emit("hello", "ann", (err, greeting) => {
    const e: Error | null = err;
    const g: string = greeting;
    void [e, g];
  });
  // @ts-expect-error without timeout the ack has no error argument
  socket.emit("hello", "ann", (err: Error, greeting: string) => [err, greeting]);
  const p: Promise<string> = socket.emitWithAck("hello", "ann");
  const q: Promise<string> = socket.timeout(100).emitWithAck("hello", "ann");
  // @ts-expect-error ping has no ack to wait for
  void socket.emitWithAck("ping");
  // @ts-expect-error it resolves with the greeting, a string
  const r: Promise<number> = socket.emitWithAck("hello", "ann");
  void [p, q, r];

  // Without event maps (what io() returns): any event, any arguments, as with socket.io-client.
  untyped.emit("anything", 1, { a: [2] }, () => {});
  untyped.on("anything", (a: number, b: { a: number[] }) => [a, b]);
  const any: Promise<unknown> = untyped.timeout(5).emitWithAck("q", 1);
  void any;
}
void typeChecks;

describe("client: typed events (Socket<ServerToClient, ClientToServer>) against a typed Ladder server", function () {
  this.timeout(10000);
  it("compiles as socket.io-client code does, and the typed exchange runs", async () => {
    const http = createServer();
    const server = new Server<ClientToServer, ServerToClient>(http);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    server.on("connection", (s) => {
      s.on("hello", (name, greet) => {
        greet("hi " + name);
        s.emit("news", 7, "for " + name);
      });
    });
    // The usual annotation: io() returns the untyped Socket, assignable to the typed one.
    const socket: Socket<ServerToClient, ClientToServer> = io(url, {
      forceNew: true,
      transports: ["websocket"],
    });
    try {
      const news = new Promise<[number, string]>((resolve) => socket.on("news", (n, t) => resolve([n, t])));
      await once(socket, "connect");
      const greeting: string = await socket.timeout(2000).emitWithAck("hello", "ann");
      expect(greeting).to.equal("hi ann");
      expect(await news).to.deep.equal([7, "for ann"]);
      const asked = await server
        .timeout(300)
        .emitWithAck("ask", "the answer?")
        .catch((err: Error) => err);
      // The client registered no "ask" listener: the server's ack times out (a listener would have answered).
      expect(asked).to.be.instanceOf(Error);
      socket.on("ask", (_q, answer) => answer(42));
      expect(await server.timeout(2000).emitWithAck("ask", "the answer?")).to.deep.equal([42]);
    } finally {
      socket.disconnect();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
