/**
 * `serveClient`: answers GET `<path>ladder.min.js` (and the other bundles) from @ladder/client's dist folder.
 * Only the allow-listed file names are served, looked up in a fixed table: nothing from the URL ever becomes
 * part of a filesystem path. When @ladder/client is not installed, those names answer 404.
 */
import { readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The bundles the client package builds, by served name. */
export const CLIENT_FILES: Readonly<Record<string, string>> = Object.freeze({
  "ladder.min.js": "ladder.min.js",
  "ladder.streaming.min.js": "ladder.streaming.min.js",
  "ladder.esm.js": "ladder.esm.js",
  "ladder.streaming.esm.js": "ladder.streaming.esm.js",
  "ladder.legacy.min.js": "ladder.legacy.min.js",
  "ladder.legacy-streaming.min.js": "ladder.legacy-streaming.min.js",
});

/** Where @ladder/client's dist folder is, resolved from this package, then from the working directory. */
export function findClientDist(): string | undefined {
  const bases: string[] = [];
  try {
    const url = (import.meta as { url?: string }).url;
    if (typeof url === "string") bases.push(url);
  } catch {
    // CommonJS build: import.meta is not available.
  }
  if (typeof __filename === "string") bases.push(__filename);
  bases.push(join(process.cwd(), "noop.js"));
  for (const base of bases) {
    try {
      return join(dirname(createRequire(base).resolve("@ladder/client/package.json")), "dist");
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}

interface Cached {
  body: Buffer;
  etag: string;
}

/** Serves the client bundles; `handle` returns false for requests that are not for a bundle. */
export class ClientFileServer {
  private readonly cache = new Map<string, Cached | null>();

  constructor(
    private readonly prefix: string,
    private readonly dist: string | undefined,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url;
    if (!url?.startsWith(this.prefix)) return false;
    const end = url.indexOf("?");
    const name = url.slice(this.prefix.length, end < 0 ? url.length : end);
    if (!Object.hasOwn(CLIENT_FILES, name)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" });
      res.end();
      return true;
    }
    const file = this.load(CLIENT_FILES[name]!);
    if (!file) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=UTF-8" });
      res.end("Not Found");
      return true;
    }
    if (req.headers["if-none-match"] === file.etag) {
      res.writeHead(304, { ETag: file.etag });
      res.end();
      return true;
    }
    res.writeHead(200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Content-Length": String(file.body.length),
      ETag: file.etag,
      "Cache-Control": "public, max-age=0",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : file.body);
    return true;
  }

  private load(fileName: string): Cached | null {
    if (this.cache.has(fileName)) return this.cache.get(fileName)!;
    let entry: Cached | null = null;
    if (this.dist) {
      try {
        const path = join(this.dist, fileName);
        const st = statSync(path);
        entry = {
          body: readFileSync(path),
          etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`,
        };
      } catch {
        entry = null;
      }
    }
    // A missing bundle is looked up again next time (it may be built later); a found one is kept.
    if (entry) this.cache.set(fileName, entry);
    return entry;
  }
}
