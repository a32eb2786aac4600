/**
 * `tsx src/profile-summary.ts <file.cpuprofile> [top]` — where a profiled server spent its CPU: self time per
 * function and per file (package), from a V8 .cpuprofile written by `pnpm bench --profile`.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function shortUrl(url: string): string {
  if (url === "") return "(native)";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(url);
  if (pnpm?.[1]) return pnpm[1];
  const pkg = /\/(packages\/[^?]+)$/.exec(url);
  if (pkg?.[1]) return pkg[1];
  return url.replace(/^file:\/\//, "").replace(/^node:/, "node:");
}

export function summarize(profile: CpuProfile, top: number): string {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    // The delta that follows a sample is the time attributed to it.
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const file = shortUrl(node.callFrame.url);
    const fn = `${node.callFrame.functionName || "(anonymous)"}  ${file}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = file
      .split("/")
      .slice(0, file.startsWith("@") ? 2 : 1)
      .join("/");
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
  }
  const fmt = (entries: Map<string, number>): string =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join("\n");
  return `total sampled: ${(total / 1000).toFixed(0)} ms\n\nself time by function:\n${fmt(byFunction)}\n\nself time by module:\n${fmt(byFile)}\n`;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: tsx src/profile-summary.ts <file.cpuprofile> [top]\n");
  process.exitCode = 1;
} else {
  process.stdout.write(summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, Number(topArg ?? 25)));
}
