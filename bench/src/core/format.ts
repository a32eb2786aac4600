import { spread } from "./stats.js";
import type { Cell, ScenarioResult } from "./types.js";

/** Thousands separators above 100, three significant digits below: enough precision for noisy figures. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs === 0) return "0";
  return Number(value.toPrecision(3)).toString();
}

function formatCell(cell: Cell | undefined): string {
  if (cell === undefined) return "—";
  if ("skipped" in cell) return cell.skipped;
  const s = spread(cell.samples);
  if (cell.samples.length === 1) return formatNumber(s.median);
  return `${formatNumber(s.median)} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

/** Ladder ÷ baseline on medians; "—" when either side has no figure. */
export function ratio(ours: Cell | undefined, baseline: Cell | undefined): number | undefined {
  if (ours === undefined || baseline === undefined) return undefined;
  if ("skipped" in ours || "skipped" in baseline) return undefined;
  const b = spread(baseline.samples).median;
  if (b === 0) return undefined;
  return spread(ours.samples).median / b;
}

function escapePipes(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** One markdown table per scenario: median (min–max) per system, then a ratio column per comparison. */
export function renderScenario(result: ScenarioResult): string {
  const labels = new Map(result.systems.map((s) => [s.id, s.label]));
  const header = [
    "Case",
    "Unit",
    ...result.systems.map((s) => s.label),
    ...result.comparisons.map(
      (c) => `${labels.get(c.ours) ?? c.ours} ÷ ${labels.get(c.baseline) ?? c.baseline}`,
    ),
  ];
  const lines = [`### ${result.title} (\`${result.name}\`)`, ""];
  lines.push(`| ${header.map(escapePipes).join(" | ")} |`);
  lines.push(`|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`);
  for (const row of result.rows) {
    const unit = row.better === "lower" ? `${row.unit} (lower is better)` : row.unit;
    const cells = [row.case, unit, ...result.systems.map((s) => formatCell(row.cells[s.id]))];
    for (const c of result.comparisons) {
      const r = ratio(row.cells[c.ours], row.cells[c.baseline]);
      cells.push(r === undefined ? "—" : `${r.toFixed(2)}×`);
    }
    lines.push(`| ${cells.map(escapePipes).join(" | ")} |`);
  }
  if (result.notes.length > 0) {
    lines.push("");
    for (const note of result.notes) lines.push(`- ${note}`);
  }
  return lines.join("\n");
}
