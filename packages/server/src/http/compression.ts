import type { IncomingMessage } from "node:http";
import { deflate, gzip, type ZlibOptions } from "node:zlib";

export type ContentEncoding = "gzip" | "deflate";

/** Picks gzip or deflate from Accept-Encoding (gzip preferred; `q=0` excludes). */
export function negotiateEncoding(req: IncomingMessage): ContentEncoding | undefined {
  const header = req.headers["accept-encoding"];
  if (typeof header !== "string") return undefined;
  let deflateOk = false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const rejected = params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
    if (rejected) continue;
    if (name === "gzip" || name === "*") return "gzip";
    if (name === "deflate") deflateOk = true;
  }
  return deflateOk ? "deflate" : undefined;
}

/** Compresses a response body asynchronously (zlib's thread pool keeps the event loop free). */
export function compressBody(
  body: Buffer,
  encoding: ContentEncoding,
  options: ZlibOptions,
  done: (err: Error | null, out: Buffer) => void,
): void {
  (encoding === "gzip" ? gzip : deflate)(body, options, done);
}
