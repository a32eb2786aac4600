// The `ws` package, for Node. Browser bundles replace "ws" with an empty module (package.json "browser" field,
// and the bundle script's alias), so this import never reaches a browser.
import WS from "ws";
import type { WebSocketConstructor } from "./transport.js";

/** `ws` when it is available (Node), otherwise undefined. */
export const NodeWebSocket: WebSocketConstructor | undefined =
  typeof WS === "function" ? (WS as unknown as WebSocketConstructor) : undefined;
