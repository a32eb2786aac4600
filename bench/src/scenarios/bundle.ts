/**
 * Scenario 8: client bundle sizes (raw / min / min+gzip) of Ladder's browser bundles next to
 * socket.io-client 4.8.4's dist files. Sizes are deterministic, so one sample each.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Cell, Row, Scenario, ScenarioResult } from "../core/types.js";

const LADDER_DIST = fileURLToPath(new URL("../../../packages/client/dist/", import.meta.url));
// socket.io-client's export map hides dist/; its devDependency link in bench/node_modules does not.
const SOCKET_IO_DIST = fileURLToPath(new URL("../../node_modules/socket.io-client/dist/", import.meta.url));

function socketIoDist(file: string): string {
  return `${SOCKET_IO_DIST}${file}`;
}

type Source = { file: string; minify?: boolean } | undefined;

interface EsbuildLike {
  transformSync(code: string, options: { minify: boolean; format?: string }): { code: string };
}

/** esbuild comes with the client package (its bundler); used only to minify the unminified ESM bundle. */
function loadEsbuild(): EsbuildLike | undefined {
  try {
    const clientRequire = createRequire(`${LADDER_DIST}../package.json`);
    return clientRequire("esbuild") as EsbuildLike;
  } catch {
    return undefined;
  }
}

function bytesOf(source: Source, esbuild: EsbuildLike | undefined, gzip: boolean): Cell {
  if (!source) return { skipped: "n/a" };
  if (!existsSync(source.file))
    return { skipped: `not available yet: ${source.file.split("/").pop()} not built` };
  let code = readFileSync(source.file);
  if (source.minify) {
    if (!esbuild) return { skipped: "not available: esbuild not found to minify" };
    code = Buffer.from(esbuild.transformSync(code.toString(), { minify: true, format: "esm" }).code);
  }
  return { samples: [gzip ? gzipSync(code, { level: 9 }).length : code.length] };
}

export const bundleScenario: Scenario = {
  name: "bundle",
  title: "8. Client bundle sizes",
  async run(): Promise<ScenarioResult> {
    const esbuild = loadEsbuild();
    const ladder = (file: string, minify?: boolean): Source => ({ file: `${LADDER_DIST}${file}`, minify });
    const sio = (file: string): Source => ({ file: socketIoDist(file) });
    const cases: Array<{ label: string; unit: string; ours: Source; theirs: Source; gzip: boolean }> = [
      {
        label: "unminified (ladder.esm.js vs socket.io.js)",
        unit: "bytes raw",
        ours: ladder("ladder.esm.js"),
        theirs: sio("socket.io.js"),
        gzip: false,
      },
      {
        label: "modern, minified (ladder.min.js vs socket.io.min.js)",
        unit: "bytes min",
        ours: ladder("ladder.min.js"),
        theirs: sio("socket.io.min.js"),
        gzip: false,
      },
      {
        label: "modern, minified (ladder.min.js vs socket.io.min.js)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.min.js"),
        theirs: sio("socket.io.min.js"),
        gzip: true,
      },
      {
        label:
          "modern streaming add-on (ladder.streaming.min.js, fetched by ladder.min.js only when streaming opens)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.streaming.min.js"),
        theirs: undefined,
        gzip: true,
      },
      {
        label: "ESM (ladder.esm.js minified by esbuild vs socket.io.esm.min.js)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.esm.js", true),
        theirs: sio("socket.io.esm.min.js"),
        gzip: true,
      },
      {
        label:
          "ESM streaming add-on (ladder.streaming.esm.js minified by esbuild, imported by ladder.esm.js on demand)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.streaming.esm.js", true),
        theirs: undefined,
        gzip: true,
      },
      {
        label: "legacy ES5 (ladder.legacy.min.js vs socket.io.min.js)",
        unit: "bytes min",
        ours: ladder("ladder.legacy.min.js"),
        theirs: sio("socket.io.min.js"),
        gzip: false,
      },
      {
        label: "legacy ES5 (ladder.legacy.min.js vs socket.io.min.js)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.legacy.min.js"),
        theirs: sio("socket.io.min.js"),
        gzip: true,
      },
      {
        label: "legacy streaming add-on (ladder.legacy-streaming.min.js, optional, after the legacy bundle)",
        unit: "bytes min+gzip",
        ours: ladder("ladder.legacy-streaming.min.js"),
        theirs: undefined,
        gzip: true,
      },
    ];
    const rows: Row[] = cases.map((c) => ({
      case: c.label,
      unit: c.unit,
      better: "lower",
      cells: {
        ladder: bytesOf(c.ours, esbuild, c.gzip),
        "socket.io-client": bytesOf(c.theirs, esbuild, c.gzip),
      },
    }));
    return {
      name: "bundle",
      title: this.title,
      systems: [
        { id: "ladder", label: "Ladder (@ladder/client)" },
        { id: "socket.io-client", label: "socket.io-client 4.8.4" },
      ],
      comparisons: [{ ours: "ladder", baseline: "socket.io-client" }],
      rows,
      notes: [
        "Ladder bundles are read from packages/client/dist as built by `pnpm build`; gzip is zlib level 9. Targets: modern ≤ 8 KB min+gzip, legacy ≤ 12 KB. The streaming transport is in no browser bundle: ladder.min.js and ladder.esm.js load their add-on only when a session opens streaming (WebSocket missing or blocked), the legacy add-on is opt-in (a second script tag); socket.io-client has no streaming transport.",
      ],
    };
  },
};
