/**
 * The shape shared by the server scenarios (echo, broadcast, acks, connect rate, delivery): for each round,
 * for each system in alternating order, start a fresh server + load pair, run every case, tear down. Each
 * case yields one row per metric.
 */

import { SYSTEMS } from "../servers/registry.js";
import type { ServerConfig } from "../servers/types.js";
import { alternate } from "./rounds.js";
import {
  type StreamSpec,
  SystemRun,
  type Timing,
  type WindowResult,
  type WorkloadSpec,
} from "./system-run.js";
import type { Cell, Comparison, Row, RunOptions, ScenarioResult } from "./types.js";

export interface ServerCase {
  label: string;
  workload: WorkloadSpec;
  /** Server pushes batches of this many messages per client (delivery scenario). */
  stream?: StreamSpec;
  /** Systems this case does not apply to, with the reason printed in their cell. */
  notApplicable?: Record<string, string>;
}

export interface MetricDef {
  /** Appended to the case label, e.g. "per server CPU-s". */
  unit: string;
  better: "higher" | "lower";
  value(result: WindowResult): number | undefined;
}

export interface ServerScenarioDef {
  name: string;
  title: string;
  systems: string[];
  comparisons: Comparison[];
  config: ServerConfig;
  /** Server processes per system (cluster scenarios); default 1. */
  nodes?: number;
  cases(quick: boolean): ServerCase[];
  metrics: MetricDef[];
  timing(quick: boolean): Timing;
  notes: string[];
}

/** Figures every server scenario reports: per server CPU-second, per wall second, event-loop delay p99. */
export function throughputMetrics(what: string): MetricDef[] {
  return [
    {
      unit: `${what} / server CPU-s`,
      better: "higher",
      value: (r) => (r.cpuMs > 0 ? r.count / (r.cpuMs / 1000) : undefined),
    },
    { unit: `${what} / s`, better: "higher", value: (r) => r.count / (r.wallMs / 1000) },
    { unit: "server event-loop delay p99, ms", better: "lower", value: (r) => r.eventLoopP99Ms },
  ];
}

export async function runServerScenario(
  def: ServerScenarioDef,
  options: RunOptions,
): Promise<ScenarioResult> {
  const cases = def.cases(options.quick);
  const timing = def.timing(options.quick);
  const notes = [...def.notes];
  const unavailable = new Map<string, string>();
  for (const id of def.systems) {
    const reason = await SYSTEMS[id]!.unavailable?.();
    if (reason) unavailable.set(id, reason);
  }
  const runnable = def.systems.filter((id) => !unavailable.has(id));
  const failures = new Map<string, string>();
  const caseErrors = new Map<string, string>();

  // results[system][round][case] — a case result is undefined when it failed or does not apply.
  const results = await alternate(runnable, options, async (system, round) => {
    const perCase: Array<WindowResult | undefined> = [];
    if (failures.has(system)) return perCase;
    let run: SystemRun | undefined;
    try {
      run = await SystemRun.start(system, def.config, def.nodes ?? 1);
      for (const c of cases) {
        if (c.notApplicable?.[system]) {
          perCase.push(undefined);
          continue;
        }
        options.log(`${def.name}: ${system} round ${round + 1} — ${c.label}`);
        const where = `${SYSTEMS[system]!.label}, ${c.label}, round ${round + 1}`;
        try {
          const r = await run.window(c.workload, timing, c.stream);
          if (r.errors > 0) notes.push(`${where}: ${r.errors} client error(s), first: ${r.firstError}`);
          if (r.count === 0) notes.push(`${where}: nothing completed in the window`);
          perCase.push(r.count > 0 ? r : undefined);
        } catch (err) {
          // One case failing (e.g. a transport the system does not have yet) must not hide the others.
          const message = (err as Error).message.split("\n")[0] ?? "unknown error";
          const key = `${system}:${perCase.length}`;
          if (!caseErrors.has(key)) caseErrors.set(key, message);
          if (!message.startsWith("not available yet")) notes.push(`${where}: ${message}`);
          perCase.push(undefined);
        }
      }
    } catch (err) {
      const message = (err as Error).message.split("\n")[0] ?? "unknown error";
      failures.set(system, message);
      notes.push(`${SYSTEMS[system]!.label} failed in round ${round + 1}: ${message}`);
    } finally {
      await run?.close();
    }
    return perCase;
  });

  const rows: Row[] = [];
  cases.forEach((c, ci) => {
    for (const metric of def.metrics) {
      const cells: Record<string, Cell> = {};
      for (const id of def.systems) {
        const na = c.notApplicable?.[id];
        if (na) {
          cells[id] = { skipped: `n/a: ${na}` };
          continue;
        }
        const reason = unavailable.get(id);
        if (reason) {
          cells[id] = { skipped: reason };
          continue;
        }
        const samples = (results.get(id) ?? [])
          .map((perCase) => perCase[ci])
          .map((r) => (r ? metric.value(r) : undefined))
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        const why = caseErrors.get(`${id}:${ci}`) ?? failures.get(id) ?? "no result";
        cells[id] =
          samples.length > 0
            ? { samples }
            : { skipped: why.startsWith("not available yet") ? why : `failed: ${why}` };
      }
      rows.push({ case: c.label, unit: metric.unit, better: metric.better, cells });
    }
  });
  return {
    name: def.name,
    title: def.title,
    systems: def.systems.map((id) => ({ id, label: SYSTEMS[id]!.label })),
    comparisons: def.comparisons,
    rows,
    notes,
  };
}
