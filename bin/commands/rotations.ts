import { parseArgs } from "node:util";
import { defaultGitopsRepository } from "@/lib/gitops/create-provider";
import { buildRotationSchedule } from "@/lib/rotation/build-rotation-schedule";
import { formatReportRow, reportEpilogue, reportPrologue } from "@/lib/rotation/format-rotation-report";
import { filterEntries } from "@/lib/rotation/query-rotation-schedule";
import { readGitKeyChanges } from "@/lib/rotation/read-git-key-changes";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import type { RotationRow } from "@/lib/validations/rotation";
import { UsageError, type Command } from "../command";
import { openCliInventory } from "../launcher/open-cli-inventory";

// Kept exported here for callers that import it from this command.
export { pickSandboxKubeconfig } from "../launcher/open-cli-inventory";

/** `--fail-on-overdue` and something is overdue and not waived. */
export const EXIT_OVERDUE = 3;

const usage = `
Usage: sealdeck rotations [--cluster C] [--namespace N] [--format table|csv|json] [--fail-on-overdue]

Prints the rotation schedule the Rotations page shows: every key of every SealedSecret (one row per
key) and ExternalSecret (one row), with its policy, last rotation, evidence, due date and status,
worst first. Reads the clusters of KUBECONFIG (else ~/.kube/config, else the sandbox's kubeconfig
under SEALDECK_DATA_DIR when \`sealdeck dev\` runs it) once, without watching, and the database
(DATABASE_URL, else the embedded Postgres under SEALDECK_DATA_DIR).

  --cluster C          only this cluster (kubeconfig context)
  --namespace N        only this namespace
  --format F           table (default), csv (the rotation report's columns) or json (the API's rows)
  --fail-on-overdue    exit ${EXIT_OVERDUE} when any key is overdue and not waived, for CI gates

Exit codes: 0 done (nothing overdue, or --fail-on-overdue not given); ${EXIT_OVERDUE} something overdue
with --fail-on-overdue; 1 an error (no cluster reachable, database unavailable); 2 a usage error.
`;

const FORMATS = ["table", "csv", "json"] as const;
type Format = (typeof FORMATS)[number];

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "-");

function table(rows: readonly RotationRow[]): string {
  const header = [
    "STATUS",
    "DUE",
    "LAST ROTATED",
    "EVIDENCE",
    "POLICY",
    "CLUSTER",
    "NAMESPACE",
    "SECRET",
    "KEY",
  ];
  const body = rows.map((r) => [
    r.status,
    day(r.dueAt),
    r.lastRotatedAt ? `${r.lastRotatedIsLowerBound ? "≥" : ""}${day(r.lastRotatedAt)}` : "unknown",
    r.evidence?.kind ?? "-",
    `${r.policy.maxAgeDays}d ${r.policy.level}`,
    r.cluster,
    r.namespace ?? "-",
    `${r.kind}/${r.name}`,
    r.key || "(all)",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return `${[header, ...body].map(line).join("\n")}\n`;
}

function render(rows: readonly RotationRow[], format: Format): string {
  if (format === "table") return table(rows);
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  return (
    reportPrologue("csv") +
    rows.map((r, i) => formatReportRow("csv", r, i)).join("") +
    reportEpilogue("csv", rows.length)
  );
}

const command: Command = {
  summary: "Print the rotation schedule; --fail-on-overdue gates CI",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          cluster: { type: "string" },
          namespace: { type: "string" },
          format: { type: "string", default: "table" },
          "fail-on-overdue": { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; see \`sealdeck rotations --help\``);
    }
    const format = FORMATS.find((f) => f === parsed.values.format);
    if (!format) throw new UsageError("--format must be table, csv or json");
    const { dataDir, prisma, inventory, close } = await openCliInventory({
      cluster: parsed.values.cluster,
    });
    try {
      const unreachable = inventory.clusterStatuses().filter((status) => status.state !== "synced");
      for (const status of unreachable)
        console.error(`sealdeck: cluster ${status.name} is ${status.state}: its secrets may be missing`);
      const records = inventory.list();
      inventory.stop();
      const repositories = await readSetting(settingDefinitions.repositories, prisma);
      const schedule = await buildRotationSchedule({
        db: prisma,
        records,
        readGitChanges: () =>
          readGitKeyChanges({
            db: prisma,
            repositories: repositories.value ?? [defaultGitopsRepository(dataDir)],
          }),
      });
      const { matching } = filterEntries(
        schedule,
        { sort: "status", order: "asc", cluster: parsed.values.cluster, namespace: parsed.values.namespace },
        null,
      );
      const rows = matching.map((entry) => entry.row);
      process.stdout.write(render(rows, format));
      const overdue = rows.filter((row) => row.status === "overdue").length;
      if (format === "table")
        console.error(`${rows.length} keys, ${overdue} overdue (generated ${schedule.generatedAt})`);
      return parsed.values["fail-on-overdue"] && overdue > 0 ? EXIT_OVERDUE : 0;
    } finally {
      await close();
    }
  },
};

export default command;
