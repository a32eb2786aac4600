import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Refuses an upgrade on the raw socket: a complete HTTP/1.1 response whose body says what was wrong (so
 * `curl -i` shows the reason rather than hanging or seeing a bare reset), then the socket is destroyed.
 */
export function abortUpgrade(socket: Duplex, status: number, body: string): void {
  if (socket.writable) {
    const length = Buffer.byteLength(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
        "Connection: close\r\n" +
        "Content-Type: text/plain; charset=UTF-8\r\n" +
        `Content-Length: ${length}\r\n` +
        "\r\n" +
        body,
    );
  }
  // end() flushes what it can; destroy() guarantees the descriptor is released even if the peer never reads.
  socket.destroy();
}

/**
 * Checks the WebSocket-specific headers of an upgrade request before anything else touches it. Returns a
 * human-readable reason when the request is not a valid RFC 6455 opening handshake, else undefined.
 */
export function checkWebSocketUpgradeHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const upgrade = headers.upgrade;
  if (typeof upgrade !== "string" || upgrade.toLowerCase() !== "websocket") {
    return 'Missing or invalid Upgrade header: expected "Upgrade: websocket"';
  }
  const key = headers["sec-websocket-key"];
  if (typeof key !== "string" || !/^[+/0-9A-Za-z]{22}==$/.test(key)) {
    return "Missing or invalid Sec-WebSocket-Key header (16 random bytes, base64)";
  }
  const version = headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") {
    return "Missing or unsupported Sec-WebSocket-Version header: expected 13";
  }
  return undefined;
}
