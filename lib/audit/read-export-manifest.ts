import "server-only";
import type pg from "pg";
import { exportManifestSchema, type ExportManifest } from "./export-manifest";

// A finished export's manifest, from the `audit.exported` success event that recorded it, so any
// replica can serve it (not only the one that streamed the file). Only the user who exported may
// fetch it, and only for a day: the time index bounds the search.

export async function readExportManifest(
  sql: pg.Pool | pg.ClientBase,
  exportId: string,
  userId: string,
): Promise<ExportManifest | null> {
  const { rows } = await sql.query<{ manifest: unknown }>(
    `SELECT details->'manifest' AS manifest FROM audit_events
      WHERE time > now() - interval '1 day' AND action = 'audit.exported' AND outcome = 'success'
        AND details->>'exportId' = $1 AND actor_user_id = $2
      ORDER BY seq DESC LIMIT 1`,
    [exportId, userId],
  );
  const parsed = exportManifestSchema.safeParse(rows[0]?.manifest);
  return parsed.success ? parsed.data : null;
}
