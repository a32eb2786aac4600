/**
 * The value `socket.data` has when no SocketData type is given (anything, as in socket.io). The event-map helper
 * types (`EventsMap`, `EventParams`, ...) live in @ladder/protocol: the client types its Socket with the same maps.
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped users read and write socket.data freely, as with socket.io
export type DefaultSocketData = any;
