/**
 * A thin raw WebSocket client: it performs the Engine.IO open (and Socket.IO `40` connect) by hand, answers
 * pings, and hands every other frame to `onFrame` unparsed — so the load process spends as little CPU as
 * possible and the measurement is the server's.
 */
import WebSocket from "ws";
import type { WireMode } from "../servers/registry.js";

export class WsClient {
  onFrame: (frame: string) => void = () => {};
  onClose: () => void = () => {};

  private constructor(
    private readonly socket: WebSocket,
    readonly mode: WireMode,
  ) {}

  /**
   * Opens a connection and resolves once it is usable: socket open (ws), open packet received (eio), or the
   * `40{…}` CONNECT reply received (sio). `onFrame` is installed before the handshake, because ws may emit
   * the frames that follow the CONNECT reply (a "hello") in the same tick, before the promise settles.
   */
  static connect(
    port: number,
    path: string,
    mode: WireMode,
    onFrame?: (frame: string, client: WsClient) => void,
    timeoutMs = 10_000,
  ): Promise<WsClient> {
    const url =
      mode === "ws"
        ? `ws://127.0.0.1:${port}${path}`
        : `ws://127.0.0.1:${port}${path}?EIO=4&transport=websocket`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client = new WsClient(socket, mode);
    if (onFrame) client.onFrame = (frame) => onFrame(frame, client);
    return new Promise<WsClient>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => fail(new Error(`handshake timeout (${mode} ${url})`)), timeoutMs);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        if (!ready) {
          ready = true;
          socket.terminate();
          reject(err);
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        ready = true;
        resolve(client);
      };
      socket.on("error", (err) => fail(err));
      socket.on("close", () => {
        if (!ready) fail(new Error(`closed during handshake (${mode} ${url})`));
        else client.onClose();
      });
      socket.on("open", () => {
        if (mode === "ws") done();
      });
      let opened = false;
      socket.on("message", (data: Buffer) => {
        const frame = data.toString();
        if (mode !== "ws") {
          const c0 = frame.charCodeAt(0);
          if (c0 === 0x32) {
            socket.send(`3${frame.slice(1)}`); // ping → pong
            return;
          }
          if (!ready) {
            if (!opened && c0 === 0x30) {
              opened = true;
              if (mode === "eio") done();
              else socket.send("40");
              return;
            }
            if (mode === "sio" && frame.startsWith("40")) {
              done();
              return;
            }
            if (mode === "sio" && frame.startsWith("44")) {
              fail(new Error(`CONNECT refused: ${frame}`));
              return;
            }
          }
        }
        client.onFrame(frame);
      });
    });
  }

  send(frame: string): void {
    this.socket.send(frame);
  }

  close(): void {
    this.onClose = () => {};
    this.socket.terminate();
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }
}
