"use client";

import { createColumnHelper, tableFeatures } from "@tanstack/react-table";
import type { SecretSortField } from "@/lib/validations/secret-list-query";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { TruncatedText } from "@/components/ui/truncated-text";
import { HealthBadge } from "./health-badge";
import { healthReasonText } from "./health-reason-text";

export const secretTableFeatures = tableFeatures({});
const helper = createColumnHelper<typeof secretTableFeatures, SecretRecord>();

function sourceText(record: SecretRecord): string {
  if (record.source.kind === "sealed-secrets")
    return record.source.controller
      ? `${record.source.controller.namespace}/${record.source.controller.name}`
      : "sealed-secrets";
  const store = record.source.store ? `${record.source.store.name}` : "no store";
  return record.source.provider ? `${store} (${record.source.provider})` : store;
}

/** Column spec of the Secrets table: which field, how wide, and which server-side sort it maps to. */
export const secretColumns = helper.columns([
  helper.display({
    id: "health",
    header: "Health",
    cell: ({ row }) => (
      <HealthBadge status={row.original.health.status} reason={row.original.health.reason} />
    ),
  }),
  helper.display({
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <span className="min-w-0 truncate">
        <span className="text-zinc-500 dark:text-zinc-400">
          {row.original.namespace ? `${row.original.namespace}/` : ""}
        </span>
        <span className="font-medium">{row.original.name}</span>
      </span>
    ),
  }),
  helper.display({ id: "kind", header: "Kind", cell: ({ row }) => row.original.kind }),
  helper.display({ id: "cluster", header: "Cluster", cell: ({ row }) => row.original.cluster }),
  helper.display({
    id: "keys",
    header: "Keys",
    cell: ({ row }) => <span title={row.original.keys.join(", ")}>{row.original.keys.length}</span>,
  }),
  helper.display({
    id: "source",
    header: "Source",
    cell: ({ row }) => <TruncatedText text={sourceText(row.original)} focused={false} />,
  }),
  helper.display({ id: "consumers", header: "Used by", cell: ({ row }) => row.original.consumers.length }),
  helper.display({
    id: "reason",
    header: "Reason",
    cell: ({ row }) => {
      if (row.original.health.status === "Healthy") return null;
      const reason = healthReasonText(row.original.health);
      return (
        <TruncatedText text={reason.full} focused={false} className="text-zinc-600 dark:text-zinc-400">
          {reason.short}
        </TruncatedText>
      );
    },
  }),
]);

export const columnLayout: Record<string, { width: string; sort?: SecretSortField }> = {
  health: { width: "7rem", sort: "health" },
  name: { width: "minmax(14rem, 2fr)", sort: "name" },
  kind: { width: "11rem", sort: "kind" },
  cluster: { width: "8rem", sort: "cluster" },
  keys: { width: "4rem" },
  source: { width: "minmax(8rem, 1fr)" },
  consumers: { width: "5rem" },
  reason: { width: "minmax(8rem, 1fr)" },
};

export const gridTemplate = Object.values(columnLayout)
  .map((c) => c.width)
  .join(" ");
