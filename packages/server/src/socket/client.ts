/**
 * One engine session seen by the socket layer: decodes its messages, multiplexes namespaces, and closes the
 * session when the client misbehaves (a decode error is a "parse error") or never connects (connectTimeout).
 */
import { encodeSocketPacket, SocketDecoder, type SocketPacket } from "@ladder/protocol";
import type { SessionLike } from "./engine-types.js";
import type { Server } from "./server.js";
import type { DisconnectReason, Socket } from "./socket.js";

const CONNECT = 0;
const CONNECT_ERROR = 4;

type AnySocket = Socket<object, object, object, unknown>;

export class Client {
  /** Namespace name → socket. */
  private readonly sockets = new Map<string, AnySocket>();
  /** Namespaces whose CONNECT is being processed (middlewares, recovery lookup). */
  private connecting: Set<string> | undefined;
  private readonly decoder: SocketDecoder;
  private connectTimer: unknown;
  private closed = false;
  private readonly onMessage = (data: string | Uint8Array): void => this.ondata(data);
  private readonly onClose = (reason: string, description?: unknown): void =>
    this.onclose(reason as DisconnectReason, description);

  constructor(
    readonly server: Server<object, object, object, unknown>,
    readonly session: SessionLike,
  ) {
    this.decoder = new SocketDecoder(server._decoderOptions);
    session.on("message", this.onMessage);
    session.on("close", this.onClose);
    this.connectTimer = server._timers.setTimeout(() => {
      this.connectTimer = undefined;
      if (this.sockets.size === 0) this.session.close();
    }, server._connectTimeout);
  }

  /** True while the engine session can still carry packets. */
  get isOpen(): boolean {
    return !this.closed && this.session.readyState === "open";
  }

  private ondata(data: string | Uint8Array): void {
    let packet: SocketPacket | null;
    try {
      packet = this.decoder.add(data);
    } catch {
      // Hostile or broken input: this client goes, nobody else notices.
      this.onclose("parse error");
      this.session.close();
      return;
    }
    if (packet) this.onpacket(packet);
  }

  private onpacket(packet: SocketPacket): void {
    if (packet.type === CONNECT) {
      this.connect(packet.nsp, packet.data as Record<string, unknown> | undefined);
      return;
    }
    this.sockets.get(packet.nsp)?._onpacket(packet);
  }

  private connect(name: string, auth: Record<string, unknown> | undefined): void {
    if (this.sockets.has(name) || this.connecting?.has(name)) return;
    this.connecting ??= new Set();
    this.connecting.add(name);
    const done = (): void => {
      this.connecting?.delete(name);
    };
    const existing = this.server._nsps.get(name);
    if (existing) {
      existing._add(this, auth ?? {}).then(done, done);
      return;
    }
    this.server._matchNamespace(name, auth ?? {}).then(
      (nsp) => {
        if (!this.isOpen) return done();
        if (nsp) return nsp._add(this, auth ?? {}).then(done, done);
        done();
        this.connectError(name, { message: "Invalid namespace" });
      },
      () => {
        done();
        this.connectError(name, { message: "Invalid namespace" });
      },
    );
  }

  /** @internal Refuse a CONNECT: `44/nsp,{"message":...,"data":...}`. */
  connectError(nsp: string, data: { message: string; data?: unknown }): void {
    if (!this.isOpen) return;
    this.session.sendAll(encodeSocketPacket({ type: CONNECT_ERROR, nsp, data }));
  }

  /** @internal A socket of this client connected. */
  _added(socket: AnySocket): void {
    this.sockets.set(socket.nsp.name, socket);
    if (this.connectTimer !== undefined) {
      this.server._timers.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
  }

  /** @internal A socket of this client left its namespace. */
  _remove(socket: AnySocket): void {
    if (this.sockets.get(socket.nsp.name) === socket) this.sockets.delete(socket.nsp.name);
  }

  /** @internal `socket.disconnect(true)`: leave every namespace, then close the connection. */
  _disconnect(): void {
    for (const socket of [...this.sockets.values()]) socket.disconnect();
    this.sockets.clear();
    this.session.close();
  }

  /** @internal The server closes every connection ("server shutting down"). */
  _shutdown(reason: DisconnectReason): void {
    this.onclose(reason);
    this.session.close();
  }

  private onclose(reason: DisconnectReason, description?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (this.connectTimer !== undefined) {
      this.server._timers.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    for (const socket of [...this.sockets.values()]) socket._onclose(reason, description);
    this.sockets.clear();
    this.decoder.reset();
    this.session.off("message", this.onMessage);
    this.session.off("close", this.onClose);
    this.server._clients.delete(this);
  }
}
