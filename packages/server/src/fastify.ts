import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyPluginCallback } from "fastify";
import fp from "fastify-plugin";
import { Engine, matchesPath, normalizePath } from "./engine/engine.js";
import type { EngineOptions } from "./engine/options.js";

/** Options of the Fastify plugin: the engine's options plus where to mount it. */
export interface LadderEngineFastifyOptions extends Partial<EngineOptions> {
  /** Path prefix. Default `/engine.io/`. */
  path?: string;
  /** Use this engine instead of creating one (e.g. one shared with the socket layer). */
  engine?: Engine;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The Ladder engine registered by `@ladder/server/fastify`. */
    ladder: Engine;
  }
}

const plugin: FastifyPluginCallback<LadderEngineFastifyOptions> = (app, options, done) => {
  const { path: pathOption, engine: given, ...engineOptions } = options;
  const path = normalizePath(pathOption);
  const engine = given ?? new Engine(engineOptions);
  app.decorate("ladder", engine);

  // A child scope (not wrapped in fastify-plugin) so the raw-body content-type parser stays local to our routes:
  // the engine must read the body itself, streaming, with its own maxHttpBufferSize limit.
  app.register(
    (scope, _opts, next) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (_req, _payload, parsed) => parsed(null, undefined));
      scope.route({
        // OPTIONS only when the engine does CORS itself; otherwise a CORS plugin (e.g. @fastify/cors) owns preflights.
        method: engineOptions.cors ? ["GET", "POST", "OPTIONS"] : ["GET", "POST"],
        url: `${path}*`,
        handler: (request, reply) => {
          // Hooks (onRequest, preHandler, logging, CORS headers set on reply.raw) have run; from here the engine
          // writes the raw response, as with plain http.
          // Headers that hooks set on the Fastify reply (e.g. @fastify/cors) are copied to the raw response
          // first, since a hijacked reply never writes them itself.
          const headers = reply.getHeaders();
          for (const name of Object.keys(headers)) {
            const value = headers[name];
            if (value !== undefined) reply.raw.setHeader(name, value);
          }
          reply.hijack();
          engine.handleRequest(request.raw, reply.raw);
        },
      });
      next();
    },
    { prefix: "" },
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (matchesPath(req.url, path)) engine.handleUpgrade(req, socket, head);
  };
  app.server.on("upgrade", onUpgrade);
  // preClose runs before the server stops accepting: sessions get their close packets and pending polls end,
  // so fastify's close does not wait for long polls.
  app.addHook("preClose", (closed) => {
    engine.close();
    closed();
  });
  app.addHook("onClose", (_instance, closed) => {
    app.server.off("upgrade", onUpgrade);
    closed();
  });
  done();
};

/**
 * Fastify plugin: `app.register(ladderEngine, { path: "/engine.io/", ...engineOptions })`. Engine HTTP requests
 * become Fastify routes (hooks, logging and CORS plugins see them); upgrades are taken from `app.server`; the
 * engine is available as `app.ladder`; every session is closed in `preClose`.
 */
export const ladderEngine = fp(plugin, { fastify: "5.x", name: "@ladder/server/fastify" });
export default ladderEngine;
