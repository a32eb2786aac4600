/** Names a client may never trigger and user code may never emit (socket.io's list). */
const RESERVED = new Set<string | number>([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

export function isReservedName(name: string | number): boolean {
  return RESERVED.has(name);
}
