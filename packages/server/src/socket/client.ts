/**
 * One engine session seen by the socket layer: decodes its messages, multiplexes namespaces, and closes the
 * session when the client misbehaves (a decode error is a "parse error") or never connects (connectTimeout).
 */
import { decodeSocketPacket, encodeSocketPacket, SocketDecoder, type SocketPacket } from "@ladder/protocol";
import type { SessionLike } from "./engine-types.js";
import { SOCKET_ERRORS } from "./errors.js";
import type { Server } from "./server.js";
import type { DisconnectReason, Socket } from "./socket.js";

const CONNECT = 0;
const CONNECT_ERROR = 4;

type AnySocket = Socket<object, object, object, unknown>;

export class Client {
  /** Connected sockets, one per namespace (an array: clients use one or two namespaces, and it is small). */
  private sockets: AnySocket[] = [];
  /** Namespaces whose CONNECT is being processed (middlewares, recovery lookup). */
  private connecting: string[] | undefined;
  /** Created when a binary packet header arrives; text-only traffic uses the stateless decoder. */
  private decoder: SocketDecoder | undefined;
  private connectTimer: unknown;
  private closed = false;

  constructor(
    readonly server: Server<object, object, object, unknown>,
    readonly session: SessionLike,
  ) {
    session.on("message", this.ondata, this);
    session.on("close", this.onclose as (reason: string, description?: unknown) => void, this);
    this.connectTimer = server._timers.setTimeout(() => {
      this.connectTimer = undefined;
      if (this.sockets.length === 0) this.session.close();
    }, server._connectTimeout);
  }

  /** True while the engine session can still carry packets. */
  get isOpen(): boolean {
    return !this.closed && this.session.readyState === "open";
  }

  private ondata(data: string | Uint8Array): void {
    let packet: SocketPacket | null;
    try {
      if (this.decoder) {
        packet = this.decoder.add(data);
        if (packet && this.decoder.pendingAttachments === 0) this.decoder = undefined;
      } else if (typeof data === "string" && !isBinaryHeader(data)) {
        packet = decodeSocketPacket(data, this.server._decoderOptions);
      } else {
        this.decoder = new SocketDecoder(this.server._decoderOptions);
        packet = this.decoder.add(data);
        if (packet) this.decoder = undefined;
      }
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
    this.socketOf(packet.nsp)?._onpacket(packet);
  }

  private connect(name: string, auth: Record<string, unknown> | undefined): void {
    if (this.socketOf(name) || this.connecting?.includes(name)) return;
    this.connecting ??= [];
    this.connecting.push(name);
    const done = (): void => {
      const list = this.connecting;
      if (!list) return;
      const i = list.indexOf(name);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.connecting = undefined;
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
        this.connectError(name, { message: SOCKET_ERRORS.LADDER_ERR_SOCKET_INVALID_NAMESPACE });
      },
      () => {
        done();
        this.connectError(name, { message: SOCKET_ERRORS.LADDER_ERR_SOCKET_INVALID_NAMESPACE });
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
    this.sockets.push(socket);
    if (this.connectTimer !== undefined) {
      this.server._timers.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
  }

  /** @internal A socket of this client left its namespace. */
  _remove(socket: AnySocket): void {
    const i = this.sockets.indexOf(socket);
    if (i >= 0) this.sockets.splice(i, 1);
  }

  /** @internal `socket.disconnect(true)`: leave every namespace, then close the connection. */
  _disconnect(): void {
    for (const socket of this.sockets.slice()) socket.disconnect();
    this.sockets = [];
    this.session.close();
  }

  /** @internal The server closes every connection ("server shutting down"). */
  _shutdown(reason: DisconnectReason): void {
    this.onclose(reason);
    this.session.close();
  }

  private socketOf(nsp: string): AnySocket | undefined {
    for (const s of this.sockets) if (s.nsp.name === nsp) return s;
    return undefined;
  }

  private onclose(reason: DisconnectReason, description?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (this.connectTimer !== undefined) {
      this.server._timers.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    for (const socket of this.sockets.slice()) socket._onclose(reason, description);
    this.sockets = [];
    this.decoder = undefined;
    this.session.off("message", this.ondata, this);
    this.session.off("close", this.onclose as (reason: string, description?: unknown) => void, this);
  }
}

/** BINARY_EVENT (5) and BINARY_ACK (6) headers announce attachments: they need the stateful decoder. */
function isBinaryHeader(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 53 || c === 54;
}
