import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP server on an ephemeral loopback port. */
export async function listenHttp(): Promise<{ http: Server; port: number }> {
  const http = createServer();
  // Idle connections from a finished workload must not keep close() waiting.
  http.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { http, port: (http.address() as AddressInfo).port };
}

/** Closes the HTTP server and every connection it still holds. */
export async function closeHttp(http: Server): Promise<void> {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
