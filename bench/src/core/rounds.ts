import type { RunOptions } from "./types.js";

/**
 * Runs `measure` for every available system in alternating rounds. Odd rounds run the systems in reverse
 * order (A B C, C B A, A B C, ...), so no system always runs first, right after warm-up of the machine, or
 * right after the heaviest competitor; drift in the shared machine's load then spreads across all of them.
 */
export async function alternate<K extends string, T>(
  systems: readonly K[],
  options: RunOptions,
  measure: (system: K, round: number) => Promise<T>,
): Promise<Map<K, T[]>> {
  const results = new Map<K, T[]>();
  for (const system of systems) results.set(system, []);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const system of order) {
      results.get(system)!.push(await measure(system, round));
    }
  }
  return results;
}
