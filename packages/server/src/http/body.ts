import type { IncomingMessage } from "node:http";

/** Why a body read ended without a body. */
export type BodyFailure = "too-large" | "aborted";

/**
 * Reads a request body as UTF-8 text, enforcing `limit` (bytes) WHILE it streams in: a declared
 * Content-Length over the limit fails before a single byte is read, and an undeclared (chunked) body fails
 * at the first chunk that crosses the limit — at most `limit` + one chunk is ever held. After a failure the
 * request stops being consumed; the caller answers (413) and the connection is closed, so a 100 MB upload
 * costs the server nothing.
 *
 * Decoding is done once at the end on the joined bytes (a multibyte character may straddle two chunks).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (err: BodyFailure | null, body: string) => void,
): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    done("too-large", "");
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (err: BodyFailure | null, body: string) => {
    if (finished) return;
    finished = true;
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("close", onClose);
    req.off("error", onClose);
    done(err, body);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      finish("too-large", "");
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    const body =
      chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, size).toString("utf8");
    finish(null, body);
  };
  // "close" before "end" means the client went away mid-body.
  const onClose = () => finish("aborted", "");
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("close", onClose);
  req.on("error", onClose);
}
