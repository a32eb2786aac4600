// The browser events a session follows, as engine.io-client does. When the browser reports the network gone
// (`offline`), the session ends at once ("transport close", details "network connection lost") instead of after
// the heartbeat's pingInterval + pingTimeout, so reconnection starts right away; sessions to "localhost" ignore it
// (loopback keeps working offline). With `closeOnBeforeunload` (default false, as upstream since 4.7: the event
// also fires for downloads and for "leave this page?" prompts the user may cancel), the transport is closed
// silently when the page unloads, so the server sees the client leave at once.

interface Page {
  addEventListener?(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

/**
 * Starts following the page's events: `onOffline` when the network goes (not for "localhost"), `onUnload` on
 * beforeunload when asked (no listener otherwise: one would keep the page out of some browsers' back/forward
 * cache). Returns the function that stops; a no-op where there is no page (Node).
 */
export function watchPage(
  hostname: string,
  closeOnBeforeunload: boolean | undefined,
  onOffline: () => void,
  onUnload: () => void,
): () => void {
  const g = globalThis as unknown as Page;
  if (typeof g.addEventListener !== "function") return () => {};
  const offline = hostname !== "localhost";
  if (offline) g.addEventListener("offline", onOffline);
  if (closeOnBeforeunload) g.addEventListener("beforeunload", onUnload);
  return () => {
    if (offline) g.removeEventListener("offline", onOffline);
    if (closeOnBeforeunload) g.removeEventListener("beforeunload", onUnload);
  };
}
