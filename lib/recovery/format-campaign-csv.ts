import "server-only";
import { neutraliseCsvCell } from "@/lib/audit/export-formats";
import type { RecoveryCampaignView } from "@/lib/validations/recovery";

export const CAMPAIGN_CSV_COLUMNS = [
  "campaign",
  "cluster",
  "namespace",
  "name",
  "keys",
  "owner",
  "owner_source",
  "state",
  "pull_request_url",
] as const;

const cell = (value: string) => {
  const safe = neutraliseCsvCell(value);
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** A campaign as CSV, one row per secret (key names only), spreadsheet formulas neutralised. */
export function formatCampaignCsv(campaign: RecoveryCampaignView): string {
  const rows = campaign.secrets.map((s) =>
    [
      campaign.id,
      campaign.cluster,
      s.namespace,
      s.name,
      s.keys.join(" "),
      s.owner ?? "",
      s.ownerSource ?? "",
      s.state,
      s.pullRequestUrl ?? "",
    ]
      .map(cell)
      .join(","),
  );
  return `${[CAMPAIGN_CSV_COLUMNS.join(","), ...rows].join("\n")}\n`;
}
