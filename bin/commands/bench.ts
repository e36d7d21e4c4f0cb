import { readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Bench, BenchReport, BenchRow } from "@/bench/report";
import type { Command } from "../command";

const benchDir = resolve("bench");

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

function toMarkdown(reports: BenchReport[], when: Date): string {
  const lines = [
    "# Benchmark results",
    "",
    `Measured by \`npm run bench\` on ${when.toISOString()} (${process.platform}-${process.arch}, Node ${process.version}).`,
    "Each row measures Sealdeck and its reference side by side in the same run.",
  ];
  for (const report of reports) {
    lines.push("", `## ${report.title}`, "", "| case | Sealdeck | reference | ratio | target | result | note |", "|---|---|---|---|---|---|---|");
    lines.push(...report.rows.map(formatRow));
  }
  return `${lines.join("\n")}\n`;
}

const command: Command = {
  summary: "run the benchmarks in bench/ and write bench/results.md",
  usage: `
Usage: sealdeck bench [NAME...]

Runs every bench/*.bench.ts (or only those whose file name contains one of NAME), prints each
figure with the reference measured beside it in the same run, and writes bench/results.md.
This is what \`npm run bench\` runs.
`,
  async run(args) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
    const files = (await readdir(benchDir))
      .filter((file) => file.endsWith(".bench.ts"))
      .filter((file) => positionals.length === 0 || positionals.some((name) => file.includes(name)))
      .sort();
    if (files.length === 0) {
      console.log(positionals.length ? "no benchmark matches" : "bench/ has no benchmarks yet");
    }
    const reports: BenchReport[] = [];
    for (const file of files) {
      console.error(`running ${file}…`);
      const loaded = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Bench };
      const report = await loaded.default();
      reports.push(report);
      console.log(`\n${report.title}`);
      for (const row of report.rows) console.log(`  ${formatRow(row).slice(2, -2).replaceAll(" | ", "  ·  ")}`);
    }
    await writeFile(join(benchDir, "results.md"), toMarkdown(reports, new Date()));
    console.log(`\nwrote bench/results.md`);
    return reports.some((report) => report.rows.some((row) => row.pass === false)) ? 1 : 0;
  },
};

export default command;
