/**
 * The two client LIBRARIES, used only by the client-connect workload (issue 5's "connect time to first
 * message per transport"): there the client is what is measured, so the full libraries are the point.
 * Both are typed through the small surface used here.
 */
export type ClientLibrary = "ladder-client" | "socket.io-client";

export interface LibrarySocket {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  disconnect(): unknown;
}

type IoFunction = (
  uri: string,
  options: { transports: string[]; forceNew: boolean; reconnection: boolean; upgrade?: boolean },
) => LibrarySocket;

const cache = new Map<ClientLibrary, IoFunction>();

export async function loadIo(library: ClientLibrary): Promise<IoFunction> {
  const cached = cache.get(library);
  if (cached) return cached;
  const mod = (
    library === "ladder-client" ? await import("@ladder/client") : await import("socket.io-client")
  ) as Record<string, unknown>;
  if (typeof mod.io !== "function") throw new Error(`not available yet: no io() export in ${library}`);
  const io = mod.io as IoFunction;
  cache.set(library, io);
  return io;
}

/** Opens a new connection, resolves on the server's "hello" event with the elapsed ms, then disconnects. */
export async function connectToFirstEvent(
  library: ClientLibrary,
  port: number,
  transport: "polling" | "websocket",
  timeoutMs = 10_000,
): Promise<number> {
  const io = await loadIo(library);
  const t0 = performance.now();
  const socket = io(`http://127.0.0.1:${port}`, {
    transports: [transport],
    forceNew: true,
    reconnection: false,
    upgrade: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${library}: no "hello" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once("hello", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
    return performance.now() - t0;
  } finally {
    socket.disconnect();
  }
}
