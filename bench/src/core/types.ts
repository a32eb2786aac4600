/**
 * The shapes every scenario produces. A scenario measures several systems (Ladder and its baselines) and
 * returns rows; each row holds, per system, the samples of one round each, or the reason it was skipped.
 */

/** One system under test, e.g. Ladder's Server or socket.io 4.8.4. */
export interface SystemInfo {
  /** Stable key used in JSON and in comparisons ("ladder", "socket.io", "ws", ...). */
  id: string;
  /** Column header in the table. */
  label: string;
}

/**
 * Samples (one per round) or the honest reason there are none, printed verbatim in the table
 * (e.g. "not available yet: no Engine export in @ladder/server", "failed: ECONNRESET").
 */
export type Cell = { samples: number[] } | { skipped: string };

export interface Row {
  /** What was measured, e.g. "64 B, 1 in flight". */
  case: string;
  /** Unit of the figure, e.g. "round trips / server CPU-s". */
  unit: string;
  /** Whether a bigger figure is the better one (ratios are always Ladder ÷ baseline). */
  better: "higher" | "lower";
  cells: Record<string, Cell>;
}

/** A ratio column: `ours` ÷ `baseline`, computed on medians. */
export interface Comparison {
  ours: string;
  baseline: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  systems: SystemInfo[];
  comparisons: Comparison[];
  rows: Row[];
  /** Free-form lines printed under the table (method details, skip reasons, hostile-input checks). */
  notes: string[];
}

export interface RunOptions {
  quick: boolean;
  /** Number of alternating rounds (≥ 3 for a full run). */
  rounds: number;
  log: (message: string) => void;
}

export interface Scenario {
  /** Name used on the command line: `pnpm bench <name>`. */
  name: string;
  title: string;
  run(options: RunOptions): Promise<ScenarioResult>;
}
