/**
 * `pnpm bench [--quick] [--rounds N] [scenario ...]` — runs the scenarios for Ladder and its baselines in
 * the same run, prints one markdown table per scenario on stdout (progress goes to stderr) and writes the raw
 * samples as JSON to bench/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderScenario } from "./core/format.js";
import { gitCommit, machineInfo } from "./core/machine.js";
import { SCENARIOS } from "./core/registry.js";
import type { RunOptions, ScenarioResult } from "./core/types.js";

interface Cli {
  quick: boolean;
  profile: boolean;
  rounds: number | undefined;
  names: string[];
}

function usage(): string {
  return `usage: pnpm bench [--quick] [--rounds N] [--profile] [${SCENARIOS.map((s) => s.name).join("|")} ...]`;
}

function parseArgs(argv: readonly string[]): Cli {
  const cli: Cli = { quick: false, profile: false, rounds: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue; // pnpm may forward a separator
    if (arg === "--quick") cli.quick = true;
    else if (arg === "--profile") cli.profile = true;
    else if (arg === "--rounds") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds needs a positive integer\n${usage()}`);
      cli.rounds = n;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}\n${usage()}`);
    else cli.names.push(arg);
  }
  return cli;
}

async function main(): Promise<void> {
  const cli = parseArgs(process.argv.slice(2));
  const selected =
    cli.names.length === 0
      ? SCENARIOS
      : cli.names.map((name) => {
          const found = SCENARIOS.find((s) => s.name === name || s.aliases.includes(name));
          if (!found) throw new Error(`unknown scenario "${name}"\n${usage()}`);
          return found;
        });
  const options: RunOptions = {
    quick: cli.quick,
    // A quick run proves the harness still works; it never claims a spread.
    rounds: cli.rounds ?? (cli.quick ? 1 : 3),
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  if (cli.profile) {
    // Server processes inherit this and write <system>-<pid>.cpuprofile there (see src/profile-summary.ts).
    const dir = fileURLToPath(new URL("../results/profiles/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    process.env.LADDER_BENCH_PROFILE_DIR = dir;
    options.log(`CPU profiles of the server processes go to bench/results/profiles/`);
  }
  const machine = machineInfo();
  const command = `pnpm bench ${process.argv.slice(2).join(" ")}`.trim();
  const commit = gitCommit();
  process.stdout.write(
    `## Ladder benchmarks\n\n- command: \`${command}\` at commit ${commit}, ${new Date().toISOString()}\n- machine: ${machine.cpus} × ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, load average ${machine.loadAverage.join(" ")}\n` +
      `- method: ${options.rounds} alternating round(s); cells are median (min–max); ratios are Ladder ÷ baseline on medians; ` +
      `server and load ${machine.pinned ? "pinned to CPU 0 and CPU 1 (taskset)" : "not pinned (no taskset)"}\n\n`,
  );

  const started = Date.now();
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  for (const entry of selected) {
    options.log(`scenario ${entry.name}…`);
    const t0 = Date.now();
    try {
      const scenario = await entry.load();
      const result = await scenario.run(options);
      results.push(result);
      process.stdout.write(`${renderScenario(result)}\n\n`);
    } catch (err) {
      // A harness bug must fail the run (CI checks the exit code); system errors become cells instead.
      failures.push(entry.name);
      process.stderr.write(`[bench] scenario ${entry.name} failed: ${(err as Error).stack ?? String(err)}\n`);
    }
    options.log(`scenario ${entry.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const elapsed = (Date.now() - started) / 1000;
  process.stdout.write(`_Total time: ${elapsed.toFixed(0)} s._\n`);

  const dir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(
    { command, commit, date: new Date().toISOString(), machine, options, elapsed, results },
    null,
    2,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  writeFileSync(`${dir}bench-${stamp}.json`, json);
  writeFileSync(`${dir}latest.json`, json);
  options.log(`JSON written to bench/results/bench-${stamp}.json`);
  if (failures.length > 0) {
    process.stderr.write(`[bench] failed scenarios: ${failures.join(", ")}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
