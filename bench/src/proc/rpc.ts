/**
 * A tiny request/response protocol over the IPC channel between the orchestrator and its child processes
 * (server host, load host). One request in flight per command id; errors travel back as messages.
 */
export interface RpcRequest {
  id: number;
  cmd: string;
  arg?: unknown;
}

export type RpcReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export type Handlers = Record<string, (arg: unknown) => unknown>;

function isRequest(message: unknown): message is RpcRequest {
  return (
    typeof message === "object" &&
    message !== null &&
    typeof (message as RpcRequest).id === "number" &&
    typeof (message as RpcRequest).cmd === "string"
  );
}

/** Child side: answer requests until the parent goes away (then exit, so no child outlives a killed run). */
export function serve(handlers: Handlers): void {
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    const { id, cmd, arg } = message;
    const handler = handlers[cmd];
    const reply = (r: RpcReply): void => {
      process.send?.(r);
    };
    if (!handler) {
      reply({ id, ok: false, error: `unknown command ${cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(arg))
      .then(
        (value) => reply({ id, ok: true, value: value ?? null }),
        (err: unknown) => reply({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  process.on("disconnect", () => process.exit(0));
  process.send?.({ ready: true });
}
