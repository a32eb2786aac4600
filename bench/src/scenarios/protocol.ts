/**
 * Scenario 7 (issue 2's benchmark): Ladder's codecs against engine.io-parser 5.2.3 and socket.io-parser 4.2.7
 * in the same process, alternating, plus a linearity check on hostile inputs. No server is involved.
 */
import { CODEC_CASES, type CodecCase, HOSTILE_CASES } from "../codecs/fixtures.js";
import { loadLadder } from "../codecs/ladder.js";
import { normalize, normalizeSocketPacket, same } from "../codecs/normalize.js";
import { loadReference } from "../codecs/reference.js";
import type { CodecImpl } from "../codecs/types.js";
import { bestTimeMs, opsPerSecond } from "../core/ops.js";
import { alternate } from "../core/rounds.js";
import { spread } from "../core/stats.js";
import type { Cell, Row, Scenario, ScenarioResult } from "../core/types.js";

const SMALL = 100_000;
const LARGE = 1_000_000;

function describe(err: unknown): string {
  if (err && typeof err === "object" && "code" in err) return String((err as { code: unknown }).code);
  return err instanceof Error ? err.message : String(err);
}

/** Runs Ladder's function once against the reference's; returns a note when they disagree. */
function crossCheck(c: CodecCase, ours: () => unknown, theirs: () => unknown): string | undefined {
  const norm = c.group === "Socket.IO" && c.kind === "decode" ? normalizeSocketPacket : normalize;
  const a = norm(ours());
  const b = norm(theirs());
  if (same(a, b)) return undefined;
  return `⚠ ${c.group} ${c.kind} "${c.name}": Ladder's output differs from the reference's (${JSON.stringify(a).slice(0, 120)} vs ${JSON.stringify(b).slice(0, 120)})`;
}

function outcome(run: (impl: CodecImpl) => unknown, impl: CodecImpl): string {
  try {
    run(impl);
    return "accepted";
  } catch (err) {
    return `rejected (${describe(err).slice(0, 60)})`;
  }
}

/**
 * Fine-grained alternation for in-process micro-benchmarks: in every round each implementation runs `slices`
 * short slices interleaved with the others (order reversed every slice); the round's figure is the median
 * slice. On a shared machine a burst of foreign load then costs one slice of each, not one whole figure.
 */
function interleaved(
  ids: string[],
  rounds: number,
  slices: number,
  run: (id: string) => number,
): Map<string, number[]> {
  const out = new Map<string, number[]>(ids.map((id) => [id, []]));
  for (let r = 0; r < rounds; r++) {
    const perSlice = new Map<string, number[]>(ids.map((id) => [id, []]));
    for (let k = 0; k < slices; k++) {
      const order = (r + k) % 2 === 0 ? ids : [...ids].reverse();
      for (const id of order) perSlice.get(id)!.push(run(id));
    }
    for (const id of ids) out.get(id)!.push(spread(perSlice.get(id)!).median);
  }
  return out;
}

export const protocolScenario: Scenario = {
  name: "protocol",
  title: "7. Protocol codecs: Ladder vs engine.io-parser 5.2.3 / socket.io-parser 4.2.7",
  async run(options): Promise<ScenarioResult> {
    const reference = loadReference();
    const ladder = await loadLadder();
    // In-process rounds are cheap and micro-timings are the noisiest figures on a shared machine: take ≥ 5.
    options = { ...options, rounds: options.quick ? options.rounds : Math.max(options.rounds, 5) };
    const budgetMs = options.quick ? 40 : 250;
    const slices = options.quick ? 2 : 10;
    const warmMs = options.quick ? 20 : 150;
    const notes: string[] = [
      `Each round gives each implementation ~${budgetMs} ms in ${slices} slices interleaved with the others' (A B A B …, reversing every slice), and keeps the median slice; cells are median (min–max) over ${options.rounds} rounds, after ${warmMs} ms of warm-up. One process, so an interruption by another process hits a slice, not a whole figure.`,
      "reference = engine.io-parser 5.2.3 for Engine.IO rows, socket.io-parser 4.2.7 for Socket.IO rows (their CommonJS builds, as the servers load them).",
      "Ladder = the portable codec as it ships to browsers (base64 in JavaScript); Ladder + Node base64 = the same codec with the host codec the Node server installs (`useHostBase64` with Buffer), measured on the rows that involve base64.",
      "Decode inputs are the reference encoder's wire output (binary attachments as Node Buffers, as ws delivers them); Ladder's results are cross-checked against the reference's before timing.",
    ];
    const rows: Row[] = [];

    // "ladder-node" is the same codec with the host base64 (Node's Buffer) the server installs; it differs
    // from "ladder" only where base64 is involved, so it runs on those rows only. The host codec is
    // process-wide state, switched right before each measurement.
    const hostBase64 = "impl" in ladder ? ladder.hostBase64 : undefined;
    const host = (on: boolean): void => hostBase64?.(on);
    for (const c of CODEC_CASES) {
      const cells: Record<string, Cell> = {};
      const fns = new Map<string, () => unknown>();
      const theirs = c.prepare(reference, reference);
      if ("impl" in ladder) {
        try {
          host(false);
          const ours = c.prepare(ladder.impl, reference);
          const mismatch = crossCheck(c, ours, theirs);
          if (mismatch) notes.push(mismatch);
          fns.set("ladder", ours);
          if (c.base64 && hostBase64) {
            host(true);
            const mismatchHost = crossCheck(c, ours, theirs);
            if (mismatchHost) notes.push(`(host base64) ${mismatchHost}`);
            fns.set("ladder-node", ours);
          }
        } catch (err) {
          cells.ladder = { skipped: `failed: ${describe(err)}` };
        }
      } else {
        cells.ladder = { skipped: ladder.skipped };
      }
      if (!fns.has("ladder-node")) {
        cells["ladder-node"] = {
          skipped: !c.base64
            ? "n/a: no base64 in this row"
            : "not available yet: no useHostBase64 in @ladder/protocol",
        };
      }
      fns.set("reference", theirs);
      const measure = (id: string, ms: number): number => {
        host(id === "ladder-node");
        return opsPerSecond(fns.get(id)!, ms);
      };
      for (const id of fns.keys()) measure(id, warmMs);
      const samples = interleaved([...fns.keys()], options.rounds, slices, (id) =>
        measure(id, budgetMs / slices),
      );
      host(false);
      for (const [id, s] of samples) cells[id] = { samples: s };
      rows.push({ case: `${c.group} ${c.kind}: ${c.name}`, unit: "ops/s", better: "higher", cells });
      options.log(`protocol: ${c.group} ${c.kind} ${c.name}`);
    }

    const impls = new Map<string, CodecImpl>([["reference", reference]]);
    if ("impl" in ladder) impls.set("ladder", ladder.impl);
    const repeat = options.quick ? 2 : 5;
    for (const h of HOSTILE_CASES) {
      const small = h.make(SMALL);
      const large = h.make(LARGE);
      const timeCells: Record<string, Cell> = {};
      const ratioCells: Record<string, Cell> = {};
      if (!("impl" in ladder)) {
        timeCells.ladder = { skipped: ladder.skipped };
        ratioCells.ladder = { skipped: ladder.skipped };
      }
      const samples = await alternate([...impls.keys()], options, async (id) => {
        const impl = impls.get(id)!;
        const tSmall = bestTimeMs(() => small(impl), repeat);
        const tLarge = bestTimeMs(() => large(impl), repeat);
        return { tLarge, ratio: tLarge / Math.max(tSmall, 1e-6) };
      });
      for (const [id, s] of samples) {
        timeCells[id] = { samples: s.map((x) => x.tLarge) };
        ratioCells[id] = { samples: s.map((x) => x.ratio) };
      }
      rows.push({
        case: `hostile 1 MB: ${h.name}`,
        unit: "ms to decode 1 MB",
        better: "lower",
        cells: timeCells,
      });
      rows.push({
        case: `hostile: ${h.name}`,
        unit: "time(1 MB) ÷ time(100 KB), ≈10 = linear",
        better: "lower",
        cells: ratioCells,
      });
      const outcomes = [...impls].map(
        ([id, impl]) => `${id === "ladder" ? "Ladder" : "reference"} ${outcome(large, impl)}`,
      );
      notes.push(`${h.name} at 1 MB: ${outcomes.join("; ")}.`);
      options.log(`protocol: hostile ${h.name}`);
    }

    return {
      name: "protocol",
      title: this.title,
      systems: [
        { id: "ladder", label: "Ladder" },
        { id: "ladder-node", label: "Ladder + Node base64" },
        { id: "reference", label: "reference" },
      ],
      comparisons: [
        { ours: "ladder", baseline: "reference" },
        { ours: "ladder-node", baseline: "reference" },
      ],
      rows,
      notes,
    };
  },
};
