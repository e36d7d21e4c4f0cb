import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Bench, BenchReport, BenchRow } from "@/bench/report";
import type { Command } from "../command";

const benchDir = resolve("bench");
const resultsDir = join(benchDir, "results");

function formatRow(row: BenchRow): string {
  const cells = [
    row.name,
    `${round(row.value)} ${row.unit}`,
    row.reference ? `${row.reference.name}: ${round(row.reference.value)} ${row.unit}` : "",
    row.ratio === undefined ? "" : `${round(row.ratio)}×`,
    row.target ?? "",
    row.pass === undefined ? "" : row.pass ? "met" : "NOT met",
    row.note ?? "",
  ];
  return `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** One benchmark's section of bench/results.md, stamped with when and where it ran. */
function toSection(report: BenchReport, when: Date): string {
  return [
    `## ${report.title}`,
    "",
    `Measured on ${when.toISOString()} (${process.platform}-${process.arch}, Node ${process.version}).`,
    "",
    "| case | Sealdeck | reference | ratio | target | result | note |",
    "|---|---|---|---|---|---|---|",
    ...report.rows.map(formatRow),
    "",
  ].join("\n");
}

/**
 * bench/results.md is rebuilt from one file per benchmark (bench/results/<name>.md), so running one
 * benchmark updates its own section and keeps the others' last figures.
 */
async function writeResults(): Promise<void> {
  const sections = (await readdir(resultsDir).catch(() => [])).filter((file) => file.endsWith(".md")).sort();
  const parts = await Promise.all(sections.map((file) => readFile(join(resultsDir, file), "utf8")));
  const header = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (`npx sealdeck bench NAME` reruns one). Each row measures Sealdeck and its",
    "reference side by side in the same run; each section says when and on what it last ran.",
    "",
  ].join("\n");
  await writeFile(join(benchDir, "results.md"), `${header}\n${parts.join("\n")}`);
}

const command: Command = {
  summary: "run the benchmarks in bench/ and write bench/results.md",
  usage: `
Usage: sealdeck bench [NAME...]

Runs every bench/*.bench.ts (or only those whose file name contains one of NAME; a *.large.bench.ts
runs only when named, e.g. \`sealdeck bench inventory-estate\`), prints each
figure with the reference measured beside it in the same run, and writes bench/results.md.
This is what \`npm run bench\` runs.
`,
  async run(args) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    const files = (await readdir(benchDir))
      .filter((file) => file.endsWith(".bench.ts"))
      // A `*.large.bench.ts` (the 100,000-record estate) takes too long for every run: only by name.
      .filter((file) =>
        positionals.length === 0
          ? !file.endsWith(".large.bench.ts")
          : // A whole file name picks that file alone (how each benchmark's own process is started).
            positionals.some((name) => (name.endsWith(".bench.ts") ? file === name : file.includes(name))),
      )
      .sort();
    if (files.length === 0) {
      console.log(positionals.length ? "no benchmark matches" : "bench/ has no benchmarks yet");
    }
    // Several benchmarks: each in a Node process of its own, so one's leftovers (a 30,000-record cache,
    // its timers, a grown heap) cannot slow the next. Timed in one process, a 1 MiB seal measured 33×
    // native after the inventory benchmarks and 1.15× alone.
    if (files.length > 1) {
      let failed = false;
      for (const file of files) {
        const code = await new Promise<number | null>((done) => {
          const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "bench", file], {
            stdio: "inherit",
          });
          child.on("exit", (exit) => done(exit));
        });
        if (code !== 0) failed = true;
      }
      await writeResults();
      console.log(`\nwrote bench/results.md`);
      return failed ? 1 : 0;
    }
    const reports: BenchReport[] = [];
    for (const file of files) {
      console.error(`running ${file}…`);
      const loaded = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Bench };
      const report = await loaded.default();
      reports.push(report);
      await mkdir(resultsDir, { recursive: true });
      await writeFile(join(resultsDir, file.replace(/\.bench\.ts$/, ".md")), toSection(report, new Date()));
      console.log(`\n${report.title}`);
      for (const row of report.rows)
        console.log(`  ${formatRow(row).slice(2, -2).replaceAll(" | ", "  ·  ")}`);
    }
    await writeResults();
    console.log(`\nwrote bench/results.md`);
    return reports.some((report) => report.rows.some((row) => row.pass === false)) ? 1 : 0;
  },
};

export default command;
