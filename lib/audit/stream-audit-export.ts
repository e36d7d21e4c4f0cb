import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import { appendAuditEvent } from "./append-audit-event";
import type { AuditFilters } from "./audit-filters";
import { exportAuditEvents } from "./export-audit-events";
import type { ExportFormat } from "./export-formats";
import type { ExportManifest } from "./export-manifest";
import { completeExport, failExport, registerExport } from "./export-registry";
import type { AuditSigningKey } from "./load-audit-signing-key";
import { WebStreamSink } from "./web-stream-sink";

// An export as a route handler serves it: recorded first (`audit.exported`, pending, with its filters:
// no record, no export), then streamed into the response body by exportAuditEvents in constant
// memory; when the file ends its signed manifest is kept under the export id (export-registry.ts) and
// recorded in a second `audit.exported` event (success, with the count and the manifest), which lets
// any replica serve it later (read-export-manifest.ts). A failed or abandoned export is recorded too.

const MAX_RUNNING = 2;
const globalForRunning = globalThis as unknown as { sealdeckRunningExports?: number };

export type StartAuditExportOptions = {
  pool: pg.Pool;
  key: AuditSigningKey;
  principal: Principal;
  client: { ip: string | null; userAgent: string | null };
  filters: AuditFilters;
  format: ExportFormat;
  /** Chosen by the browser so it can link the manifest before the file ends; generated when absent. */
  exportId?: string;
  now?: Date;
};

export type StartedAuditExport = {
  exportId: string;
  fileName: string;
  stream: ReadableStream<Uint8Array>;
  /** The manifest once the file has ended, or null when the export failed or was abandoned. */
  done: Promise<ExportManifest | null>;
};

/** `sealdeck-audit-20261123T150102Z-1a2b3c4d.csv`; the manifest is that name + `.manifest.json`. */
export function exportFileName(exportedAt: string, exportId: string, format: ExportFormat): string {
  const stamp = exportedAt.replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `sealdeck-audit-${stamp}-${exportId.slice(0, 8)}.${format}`;
}

export async function startAuditExport(options: StartAuditExportOptions): Promise<StartedAuditExport> {
  const { pool, key, principal, filters, format } = options;
  const running = globalForRunning.sealdeckRunningExports ?? 0;
  if (running >= MAX_RUNNING) {
    throw new AppError(
      "rate_limited",
      `${MAX_RUNNING} exports are already running; try again when one ends.`,
    );
  }
  const exportId = options.exportId ?? randomUUID();
  if (!registerExport(exportId, principal.userId)) {
    throw new AppError("conflict", "This export id was used already; start a new export.");
  }
  const now = options.now ?? new Date();
  const actor = {
    userId: principal.userId,
    name: principal.username,
    role: principal.role,
    ip: options.client.ip,
    userAgent: options.client.userAgent,
  };
  const recordedFilters = Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const base = { exportId, format, filters: recordedFilters };
  try {
    await appendAuditEvent(pool, { actor, action: "audit.exported", outcome: "pending", details: base });
  } catch (error) {
    failExport(exportId, "the export could not be recorded");
    throw error;
  }

  globalForRunning.sealdeckRunningExports = running + 1;
  const sink = new WebStreamSink();
  const record = (outcome: "success" | "failure", details: Record<string, unknown>) =>
    appendAuditEvent(pool, {
      actor,
      action: "audit.exported",
      outcome,
      details: { ...base, ...details } as Parameters<typeof appendAuditEvent>[1]["details"],
    }).catch((error: unknown) => logger.error({ err: error, exportId }, "audit export outcome not recorded"));

  // The slot is given back when the streaming ends, before its outcome is recorded.
  const release = () => {
    globalForRunning.sealdeckRunningExports = Math.max(0, (globalForRunning.sealdeckRunningExports ?? 1) - 1);
  };
  const done = exportAuditEvents({ pool, key, filters, format, output: sink, now })
    .finally(release)
    .then(
      async (manifest) => {
        sink.end();
        completeExport(exportId, manifest);
        await record("success", { count: manifest.count, manifest });
        return manifest;
      },
      async (error: unknown) => {
        const reason = sink.isCancelled ? "the download was abandoned" : "the export failed";
        if (!sink.isCancelled) logger.error({ err: error, exportId }, "audit export failed");
        sink.destroy(error instanceof Error ? error : new Error(reason));
        failExport(exportId, reason);
        await record("failure", { reason });
        return null;
      },
    );
  return {
    exportId,
    fileName: exportFileName(now.toISOString(), exportId, format),
    stream: sink.stream,
    done,
  };
}
