import "server-only";
import type pg from "pg";
import { type RotationReportManifest, rotationReportManifestSchema } from "./rotation-report-manifest";
import { ROTATION_REPORT_ACTION } from "./stream-rotation-report";

// A finished report's manifest, from the success event that recorded it (so any replica serves it).
// Only the user who downloaded the report may fetch it, and only for a day: the time index bounds it.

export async function readRotationReportManifest(
  sql: pg.Pool | pg.ClientBase,
  reportId: string,
  userId: string,
): Promise<RotationReportManifest | null> {
  const { rows } = await sql.query<{ manifest: unknown }>(
    `SELECT details->'manifest' AS manifest FROM audit_events
      WHERE time > now() - interval '1 day' AND action = $1 AND outcome = 'success'
        AND details->>'reportId' = $2 AND actor_user_id = $3
      ORDER BY seq DESC LIMIT 1`,
    [ROTATION_REPORT_ACTION, reportId, userId],
  );
  const parsed = rotationReportManifestSchema.safeParse(rows[0]?.manifest);
  return parsed.success ? parsed.data : null;
}
