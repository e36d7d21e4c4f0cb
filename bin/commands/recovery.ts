import { parseArgs } from "node:util";
import { listKeyLossIncidents } from "@/lib/recovery/list-key-loss-incidents";
import { listRecoveryCampaigns } from "@/lib/recovery/list-recovery-campaigns";
import { listStoreIncidents } from "@/lib/recovery/list-store-incidents";
import { removedFromInventory } from "@/lib/recovery/removed-from-cluster";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import type { KeyLossIncident, RecoveryCampaignView } from "@/lib/validations/recovery";
import type { StoreIncident } from "@/lib/validations/store-incidents";
import { UsageError, type Command } from "../command";
import { openCliInventory } from "../launcher/open-cli-inventory";

const usage = `
Usage: sealdeck recovery [--cluster C] [--format table|json]

Prints what the Recovery page shows, for on-call scripts: the open incidents (per cluster, a lost or
replaced sealing key with the SealedSecrets it broke, their owners, keys and consuming workloads; and
every unreachable secret store with the ExternalSecrets that depend on it, soonest credential deadline
first) and the re-seal campaigns with each secret's progress.
Reads the clusters of KUBECONFIG (else ~/.kube/config, else the sandbox's kubeconfig under
SEALDECK_DATA_DIR) once, without watching, and the database (DATABASE_URL, else the embedded Postgres
under SEALDECK_DATA_DIR) for the namespace → team mapping.

  --cluster C    only this cluster (kubeconfig context)
  --format F     table (default) or json: {"schemaVersion":1,"generatedAt":…,"incidents":[…],
                 "campaigns":[…]}, each incident with "kind" ("key-loss" as GET /api/recovery returns
                 it, "store-unreachable" as GET /api/recovery/stores does)

Exit codes: 0 done (with or without incidents); 1 an error (no cluster, database unavailable);
2 a usage error.
`;

const FORMATS = ["table", "json"] as const;
type Format = (typeof FORMATS)[number];

/** The JSON document on-call scripts read; bump schemaVersion on any incompatible change. */
export type RecoveryReport = {
  schemaVersion: 1;
  generatedAt: string;
  incidents: (KeyLossIncident | StoreIncident)[];
  campaigns: RecoveryCampaignView[];
};

function storeLines(incident: StoreIncident): string[] {
  const store = [incident.store.kind, incident.store.namespace, incident.store.name]
    .filter(Boolean)
    .join("/");
  return [
    `${incident.kind}  cluster ${incident.cluster}  ${store}  ${incident.dependants.length} ExternalSecrets  since ${incident.since ?? "-"}  reason ${incident.reason}`,
    ...incident.dependants.map(
      (d) =>
        `  ${d.namespace}/${d.name}  deadline ${d.deadline ?? "unknown"}  last synced ${d.lastSyncedAt ?? "never"}`,
    ),
  ];
}

function campaignLines(campaign: RecoveryCampaignView): string[] {
  const healthy = campaign.secrets.filter((s) => s.state === "healthy").length;
  return [
    `campaign  cluster ${campaign.cluster}  ${campaign.closedAt ? `closed ${campaign.closedAt}` : "open"}  ${healthy}/${campaign.secrets.length} healthy  started ${campaign.startedAt} by ${campaign.startedBy}`,
    ...campaign.secrets.map((s) => `  ${s.namespace}/${s.name}  ${s.state}`),
  ];
}

function table(report: RecoveryReport): string {
  const { incidents, campaigns } = report;
  const lines: string[] = [];
  if (incidents.length === 0) lines.push("No open recovery incident.");
  for (const incident of incidents) {
    if (incident.kind === "store-unreachable") {
      lines.push(...storeLines(incident));
      continue;
    }
    const missing = incident.missingKeys
      .map((k) => (k.publicKeySha256 ? `${k.publicKeySha256.slice(0, 16)}…` : "unrecorded key"))
      .join(", ");
    lines.push(
      `${incident.kind}  cluster ${incident.cluster}  ${incident.secrets.length} SealedSecrets  ${incident.workloadCount} workloads  since ${incident.since ?? "-"}  missing ${missing}`,
    );
    for (const secret of incident.secrets)
      lines.push(
        `  ${secret.namespace}/${secret.name}  owner ${secret.owner?.team ?? "-"}  keys ${secret.keys.join(",")}  workloads ${secret.consumers.map((c) => `${c.kind}/${c.name}`).join(",") || "-"}`,
      );
    for (const command of incident.restoreCommands) lines.push(`  restore: ${command}`);
  }
  for (const campaign of campaigns) lines.push(...campaignLines(campaign));
  return `${lines.join("\n")}\n`;
}

const command: Command = {
  summary:
    "Print open recovery incidents (lost sealing keys, unreachable stores) and campaigns for on-call scripts",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { cluster: { type: "string" }, format: { type: "string", default: "table" } },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; see \`sealdeck recovery --help\``);
    }
    const format: Format | undefined = FORMATS.find((f) => f === parsed.values.format);
    if (!format) throw new UsageError("--format must be table or json");
    const { clusters, prisma, inventory, close } = await openCliInventory({
      cluster: parsed.values.cluster,
    });
    try {
      // The controller's certificate and keys decide what counts as missing: read them before deciding.
      await Promise.all(clusters.map((c) => inventory.cluster(c.name)?.refreshController()));
      inventory.flush();
      for (const status of inventory.clusterStatuses().filter((s) => s.state !== "synced"))
        console.error(`sealdeck: cluster ${status.name} is ${status.state}: its incidents may be incomplete`);
      const teamMapping = await readSetting(settingDefinitions.teamMapping, prisma);
      // Read-only: closing a finished campaign is the server's background job, not an on-call script's.
      const recordOf = (id: string) => inventory.get(id);
      const keyLoss = listKeyLossIncidents({
        statuses: inventory.clusterStatuses(),
        records: inventory.list(),
        teamMapping: teamMapping.value ?? [],
        principal: null,
        cluster: parsed.values.cluster,
        seenPublicKeys: (cluster) => inventory.cluster(cluster)?.seenPublicKeys ?? [],
      });
      const stores = await listStoreIncidents({
        principal: null,
        cluster: parsed.values.cluster,
        clusters: inventory.clusters,
      });
      const report: RecoveryReport = {
        schemaVersion: 1,
        generatedAt: new Date().toISOString(),
        incidents: [...keyLoss, ...stores],
        campaigns: await listRecoveryCampaigns(prisma, recordOf, {
          principal: null,
          cluster: parsed.values.cluster,
          removed: removedFromInventory(inventory),
        }),
      };
      process.stdout.write(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : table(report));
      return 0;
    } finally {
      await close();
    }
  },
};

export default command;
