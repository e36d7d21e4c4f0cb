import "server-only";
import { createHash, sign } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type pg from "pg";
import { AppError } from "@/lib/errors/app-error";
import { AUDIT_EXPORT_COLUMNS, AUDIT_SELECT_LIST } from "./audit-event-columns";
import { copyOut } from "./copy-out";
import { auditFiltersSchema, buildAuditWhere, isUnfiltered, type AuditFilters } from "./audit-filters";
import { encodeManifest, type ExportManifest } from "./export-manifest";
import {
  exportEpilogue,
  exportPrologue,
  formatExportRow,
  neutraliseCsvCellSql,
  type ExportFormat,
} from "./export-formats";
import type { AuditSigningKey } from "./load-audit-signing-key";
import { signCheckpoint } from "./sign-checkpoint";
import { streamAuditRows } from "./stream-audit-rows";

// Streams the events matching the auditor's filters as CSV, NDJSON or JSON in constant memory, then
// returns the signed manifest. CSV goes through `COPY ... TO STDOUT` (Postgres formats it, as for
// `psql \copy`; the socket pauses while the output drains); NDJSON and JSON through a server-side
// cursor, a batch at a time. Every export first signs a checkpoint of the chain's head and stops at it, so an
// unfiltered export ends exactly at a signed hash. How a filtered subset stays verifiable is in
// lib/audit/README.md ("Exports").

type Ends = {
  firstSeq: string | null;
  firstPrevHash: string | null;
  lastSeq: string | null;
  lastHash: string | null;
};

// The CSV columns: every value neutralised against spreadsheet formulas (export-formats.ts) but those
// whose format cannot start with a character a spreadsheet evaluates: the sequence number, the time
// (a year), the key list (a JSON array) and the hashes (hex). Testing them would change no cell.
const NEVER_FORMULA: readonly string[] = ["seq", "time", "target_keys", "prev_hash", "hash"];
const CSV_SELECT_LIST = AUDIT_EXPORT_COLUMNS.map((column) =>
  NEVER_FORMULA.includes(column) ? `r.${column}` : `${neutraliseCsvCellSql(`r.${column}`)} AS ${column}`,
).join(", ");

/** Replaces $1, $2... with escaped literals: COPY cannot take bind parameters. */
function inline(client: pg.PoolClient, sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => client.escapeLiteral(String(params[Number(n) - 1])));
}

/**
 * CSV through `COPY ... TO STDOUT` (the same work `psql \copy` does), in one REPEATABLE READ snapshot
 * with the two indexed lookups that give the manifest its first and last events.
 */
async function copyCsv(
  client: pg.PoolClient,
  where: string,
  params: unknown[],
  write: (chunk: Buffer) => Promise<void> | undefined,
) {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const end = async (order: "ASC" | "DESC") =>
      (
        await client.query<{ seq: string; prev_hash: string; hash: string }>(
          `SELECT seq::text AS seq, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
             FROM audit_events WHERE ${where} ORDER BY audit_events.seq ${order} LIMIT 1`,
          params,
        )
      ).rows[0];
    const first = await end("ASC");
    const last = await end("DESC");
    const count = await copyOut(
      client,
      // OFFSET 0 keeps the planner from pulling the subquery up into the neutralising CASEs, which
      // would compute each formatted column (to_char, to_json, encode, ::text) two or three times.
      `COPY (SELECT ${CSV_SELECT_LIST}
               FROM (SELECT audit_events.seq AS sort_key, ${AUDIT_SELECT_LIST}
                       FROM audit_events WHERE ${inline(client, where, params)}
                      ORDER BY audit_events.seq OFFSET 0) AS r
              ORDER BY r.sort_key)
       TO STDOUT WITH (FORMAT csv, HEADER, FORCE_QUOTE (${AUDIT_EXPORT_COLUMNS.slice(1).join(", ")}))`,
      write,
    );
    await client.query("COMMIT");
    const ends: Ends = {
      firstSeq: first?.seq ?? null,
      firstPrevHash: first?.prev_hash ?? null,
      lastSeq: last?.seq ?? null,
      lastHash: last?.hash ?? null,
    };
    return { count, ends };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export type ExportAuditEventsOptions = {
  pool: pg.Pool;
  key: AuditSigningKey;
  filters: AuditFilters;
  format: ExportFormat;
  output: Writable;
  now?: Date;
  batchSize?: number;
};

/** Writes the export to `output` (not ended) and returns its manifest. */
export async function exportAuditEvents(options: ExportAuditEventsOptions): Promise<ExportManifest> {
  const parsed = auditFiltersSchema.safeParse(options.filters);
  if (!parsed.success) throw new AppError("unprocessable", "invalid audit filters");
  const filters = parsed.data;
  const { format, output } = options;
  const exportedAt = (options.now ?? new Date()).toISOString();
  const checkpoint = await signCheckpoint(options.pool, options.key, options.now);

  const fileHash = createHash("sha256");
  // Returns a promise only when the output is full, so COPY pauses its socket only then.
  const write = (data: string | Buffer): Promise<void> | undefined => {
    if (data.length === 0) return undefined;
    const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    fileHash.update(chunk);
    return output.write(chunk) ? undefined : once(output, "drain").then(() => undefined);
  };

  const { where, params } = buildAuditWhere(filters);
  params.push(checkpoint.seq);
  const bounded = `(${where}) AND seq <= $${params.length}::bigint`;

  let count = 0;
  let ends: Ends = { firstSeq: null, firstPrevHash: null, lastSeq: null, lastHash: null };
  const client = await options.pool.connect();
  try {
    if (format === "csv") {
      ({ count, ends } = await copyCsv(client, bounded, params, write));
    } else {
      await write(exportPrologue(format));
      for await (const batch of streamAuditRows(
        client,
        { where: bounded, params },
        { batchSize: options.batchSize },
      )) {
        // One write per batch keeps syscalls and drain waits few.
        let text = "";
        for (const row of batch) {
          if (count === 0) ends = { ...ends, firstSeq: row[0] ?? null, firstPrevHash: row[17] ?? null };
          text += formatExportRow(format, row, count);
          count++;
        }
        const last = batch[batch.length - 1];
        if (last) ends = { ...ends, lastSeq: last[0] ?? null, lastHash: last[18] ?? null };
        await write(text);
      }
      await write(exportEpilogue(format, count));
    }
  } finally {
    client.release();
  }
  const { firstSeq, firstPrevHash, lastSeq, lastHash } = ends;

  const unsigned: Omit<ExportManifest, "signature"> = {
    version: 2,
    format,
    exportedAt,
    filters: Object.fromEntries(
      Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
    contiguous: isUnfiltered(filters),
    count,
    firstSeq,
    lastSeq,
    firstPrevHash,
    lastHash,
    fileSha256: fileHash.digest("hex"),
    checkpoint,
  };
  return {
    ...unsigned,
    signature: sign(null, encodeManifest(unsigned), options.key.privateKey).toString("base64"),
  };
}

export type { AuditFilters, ExportFormat };
