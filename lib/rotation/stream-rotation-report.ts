import "server-only";
import { createHash, randomUUID, sign } from "node:crypto";
import type pg from "pg";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { AuditSigningKey } from "@/lib/audit/load-audit-signing-key";
import type { RequestClient } from "@/lib/audit/request-client";
import { signCheckpoint } from "@/lib/audit/sign-checkpoint";
import type { Principal } from "@/lib/auth/principal";
import { logger } from "@/lib/log/logger";
import type { RotationSchedule } from "./compute-rotation-schedule";
import { formatReportRow, reportEpilogue, reportPrologue } from "./format-rotation-report";
import { filterEntries, type RotationFilter, type RowVisibility } from "./query-rotation-schedule";
import {
  encodeRotationReportManifest,
  type RotationReportFormat,
  type RotationReportManifest,
} from "./rotation-report-manifest";

// The rotation report an auditor downloads: recorded first ("rotation.report.exported", pending, with
// its filters; no record, no report), then streamed a batch of rows at a time as the client reads, and
// signed at the end. The signed manifest is recorded in a second event (success) BEFORE the last bytes
// go out, so by the time the browser has the whole file any replica can serve its manifest
// (read-rotation-report-manifest.ts).

const BATCH = 500;

export const ROTATION_REPORT_ACTION = "rotation.report.exported";

export type StartRotationReportOptions = {
  pool: pg.Pool;
  key: AuditSigningKey;
  principal: Principal;
  client: RequestClient;
  schedule: RotationSchedule;
  visible: RowVisibility;
  filter: RotationFilter;
  format: RotationReportFormat;
  now?: Date;
};

export type StartedRotationReport = {
  reportId: string;
  fileName: string;
  stream: ReadableStream<Uint8Array>;
  done: Promise<RotationReportManifest | null>;
};

/** `sealdeck-rotations-20261205T160102Z-1a2b3c4d.csv`; its manifest adds `.manifest.json`. */
export function rotationReportFileName(exportedAt: string, reportId: string, format: RotationReportFormat) {
  const stamp = exportedAt.replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `sealdeck-rotations-${stamp}-${reportId.slice(0, 8)}.${format}`;
}

export async function startRotationReport(
  options: StartRotationReportOptions,
): Promise<StartedRotationReport> {
  const { pool, key, principal, schedule, format } = options;
  const reportId = randomUUID();
  const now = options.now ?? new Date();
  const filters = Object.fromEntries(
    Object.entries(options.filter).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const actor = {
    userId: principal.userId,
    name: principal.username,
    role: principal.role,
    ip: options.client.ip,
    userAgent: options.client.userAgent,
  };
  const base = { reportId, format, filters, generatedAt: schedule.generatedAt };
  // Fails closed: an error here (the audit log cannot be written) refuses the report.
  await appendAuditEvent(pool, { actor, action: ROTATION_REPORT_ACTION, outcome: "pending", details: base });
  const checkpoint = await signCheckpoint(pool, key, now);

  const { matching } = filterEntries(
    schedule,
    { ...options.filter, sort: "status", order: "asc" },
    options.visible,
  );
  const fileHash = createHash("sha256");
  const encoder = new TextEncoder();
  let index = 0;
  let settle!: (manifest: RotationReportManifest | null) => void;
  const done = new Promise<RotationReportManifest | null>((resolve) => (settle = resolve));
  const chunk = (text: string) => {
    const bytes = encoder.encode(text);
    fileHash.update(bytes);
    return bytes;
  };
  const record = (outcome: "success" | "failure", details: Record<string, unknown>) =>
    appendAuditEvent(pool, {
      actor,
      action: ROTATION_REPORT_ACTION,
      outcome,
      details: { ...base, ...details } as Parameters<typeof appendAuditEvent>[1]["details"],
    });

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(chunk(reportPrologue(format)));
    },
    async pull(controller) {
      if (index < matching.length) {
        let text = "";
        for (const end = Math.min(index + BATCH, matching.length); index < end; index++)
          text += formatReportRow(format, matching[index]!.row, index);
        controller.enqueue(chunk(text));
        return;
      }
      const last = chunk(reportEpilogue(format, matching.length));
      const unsigned: Omit<RotationReportManifest, "signature"> = {
        version: 1,
        kind: "rotation-report",
        format,
        reportId,
        generatedAt: schedule.generatedAt,
        exportedAt: now.toISOString(),
        filters,
        count: matching.length,
        fileSha256: fileHash.digest("hex"),
        checkpoint,
      };
      const manifest: RotationReportManifest = {
        ...unsigned,
        signature: sign(null, encodeRotationReportManifest(unsigned), key.privateKey).toString("base64"),
      };
      try {
        await record("success", { count: manifest.count, manifest });
      } catch (error) {
        logger.error({ err: error, reportId }, "rotation report: manifest not recorded");
        settle(null);
        controller.error(new Error("the report's manifest could not be recorded"));
        return;
      }
      controller.enqueue(last);
      controller.close();
      settle(manifest);
    },
    async cancel() {
      settle(null);
      await record("failure", { reason: "the download was abandoned" }).catch((error: unknown) =>
        logger.error({ err: error, reportId }, "rotation report outcome not recorded"),
      );
    },
  });
  return {
    reportId,
    fileName: rotationReportFileName(now.toISOString(), reportId, format),
    stream,
    done,
  };
}
