// The contract between bench/*.bench.ts files and `npm run bench` (bin/commands/bench.ts).
// Each benchmark measures Sealdeck and its reference side by side in the same run and reports ratios.

export type BenchRow = {
  /** What was measured, e.g. "seal 100 keys × 1 KiB (Node, lib/sealing)". */
  name: string;
  /** Sealdeck's figure. */
  value: number;
  unit: "ms" | "MB" | "ops/s" | "events/s" | "calls" | "count";
  /** The reference measured in the same run, e.g. node:crypto doing the same work. */
  reference?: { name: string; value: number };
  /** value / reference.value (for throughput units the caller may invert; say so in `note`). */
  ratio?: number;
  /** Human-readable target, e.g. "< 60 ms" or "≤ 3× native". */
  target?: string;
  /** Whether the target was met; undefined when the row has no target. */
  pass?: boolean;
  note?: string;
};

export type BenchReport = { title: string; rows: BenchRow[] };

/** A benchmark module: `export default async function run(): Promise<BenchReport>`. */
export type Bench = () => Promise<BenchReport>;
