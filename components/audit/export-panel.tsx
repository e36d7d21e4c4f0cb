"use client";

import { useState } from "react";
import type { AuditFilters } from "@/lib/audit/audit-filters";
import { auditFiltersQuery } from "@/lib/queries/use-audit-events";
import { auditExportFormats, type AuditExportFormat } from "@/lib/validations/audit-query";

// crypto.randomUUID needs a secure context; getRandomValues does not (a dashboard on plain http in a LAN).
function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function download(href: string) {
  // A plain link download: the browser streams the file to disk, however large.
  const link = document.createElement("a");
  link.href = href;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

type ExportPanelProps = { filters: AuditFilters; filtered: boolean };

/**
 * Export buttons (the current filters, streamed by the server): each downloads one evidence bundle, a
 * ZIP of the export, its signed manifest and the audit public key, with how to check it offline.
 */
export function ExportPanel({ filters, filtered }: ExportPanelProps) {
  const [last, setLast] = useState<{ id: string; format: AuditExportFormat } | null>(null);
  const start = (format: AuditExportFormat) => {
    const id = uuid();
    const params = auditFiltersQuery(filters);
    params.set("format", format);
    params.set("exportId", id);
    download(`/api/audit/bundle?${params.toString()}`);
    setLast({ id, format });
  };
  return (
    <section
      aria-label="Export"
      className="rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Export {filtered ? "the filtered events" : "every event"}:</span>
        {auditExportFormats.map((format) => (
          <button
            key={format}
            type="button"
            onClick={() => start(format)}
            className="rounded-md border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Export {format.toUpperCase()}
          </button>
        ))}
      </div>
      {last && (
        <p className="mt-3" aria-live="polite">
          Exporting {last.format.toUpperCase()} as an evidence bundle (.zip): the export, its signed manifest
          and the public key, in one download.
        </p>
      )}
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        Verify offline:{" "}
        <code className="rounded bg-zinc-100 px-1 py-0.5 dark:bg-zinc-800">
          npx sealdeck audit verify BUNDLE.zip
        </code>
        . It checks every event&apos;s hash, the links between consecutive events, the count, the file&apos;s
        SHA-256 and the signed checkpoint, names the first broken event, and prints the signing key&apos;s
        fingerprint: compare it with the one below (or pin a copy with{" "}
        <code className="rounded bg-zinc-100 px-1 py-0.5 dark:bg-zinc-800">--public-key</code>).
      </p>
    </section>
  );
}
