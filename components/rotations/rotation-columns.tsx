"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { secretHref } from "@/components/secrets/secret-href";
import type { RotationRow, RotationSortField } from "@/lib/validations/rotation";
import {
  dueText,
  evidenceKindLabels,
  isoDay,
  keyText,
  lastRotatedText,
  policyText,
  secretPath,
} from "./format-rotation";
import { linkClass, mutedTextClass } from "./rotation-classes";
import { RotationStatusBadge } from "./rotation-status-badge";

export type RotationCellContext = { generatedAt: string };

type RotationColumn = {
  id: string;
  header: string;
  width: string;
  sort?: RotationSortField;
  cell: (row: RotationRow, context: RotationCellContext) => ReactNode;
};

const twoLines = (first: ReactNode, second: ReactNode, title?: string) => (
  <div className="min-w-0" title={title}>
    <div className="truncate">{first}</div>
    <div className={`truncate ${mutedTextClass}`}>{second}</div>
  </div>
);

/** Column spec of the Rotations table (the select and action columns are the table's own). */
export const rotationColumns: RotationColumn[] = [
  {
    id: "status",
    header: "Status",
    width: "9.5rem",
    sort: "status",
    cell: (row) => <RotationStatusBadge status={row.status} />,
  },
  {
    id: "key",
    header: "Key · secret",
    width: "minmax(11rem, 2fr)",
    sort: "name",
    cell: (row) =>
      twoLines(
        <code className="font-medium">{keyText(row)}</code>,
        <Link href={secretHref(row)} tabIndex={-1} className={linkClass} onClick={(e) => e.stopPropagation()}>
          {secretPath(row)} · {row.kind}
        </Link>,
      ),
  },
  {
    id: "cluster",
    header: "Cluster · owner",
    width: "9rem",
    sort: "cluster",
    cell: (row) =>
      twoLines(
        <>
          {row.cluster}
          {row.environment && <span className="text-zinc-500 dark:text-zinc-400"> · {row.environment}</span>}
        </>,
        row.owner ? row.owner.team : <span className="italic">Unowned</span>,
        row.owner
          ? `Owner ${row.owner.team}, from ${row.owner.source.replace("-", " ")}`
          : "No owner label, annotation or namespace mapping",
      ),
  },
  {
    id: "last",
    header: "Last rotated",
    width: "minmax(10rem, 1fr)",
    sort: "last-rotated",
    cell: (row) =>
      twoLines(
        <span className={row.lastRotatedIsLowerBound ? "italic" : undefined}>{lastRotatedText(row)}</span>,
        row.evidence ? (
          row.evidence.url ? (
            <a
              href={row.evidence.url}
              target="_blank"
              rel="noreferrer"
              tabIndex={-1}
              className={linkClass}
              onClick={(e) => e.stopPropagation()}
            >
              {evidenceKindLabels[row.evidence.kind]} · {row.evidence.description}
            </a>
          ) : (
            `${evidenceKindLabels[row.evidence.kind]} · ${row.evidence.description}`
          )
        ) : (
          "no evidence"
        ),
        row.evidence?.description,
      ),
  },
  {
    id: "due",
    header: "Due",
    width: "minmax(11rem, 1fr)",
    sort: "due",
    cell: (row, { generatedAt }) =>
      twoLines(
        dueText(row, generatedAt),
        <>
          {policyText(row)}
          {row.refreshInterval && ` · refresh ${row.refreshInterval}`}
        </>,
        `Policy: ${row.policy.maxAgeDays} days, set at ${row.policy.where}${row.refreshTime ? `. Last refresh ${row.refreshTime}` : ""}`,
      ),
  },
  {
    id: "waiver",
    header: "Waiver",
    width: "6rem",
    cell: (row) =>
      row.waiver ? (
        <span
          className="inline-flex rounded-full bg-violet-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-violet-900 dark:bg-violet-900/40 dark:text-violet-200"
          title={`Waived by ${row.waiver.createdBy}: ${row.waiver.reason}`}
        >
          until {isoDay(row.waiver.until)}
        </span>
      ) : null,
  },
];
