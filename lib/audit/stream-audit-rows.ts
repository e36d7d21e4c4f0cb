import type pg from "pg";
import { AUDIT_SELECT_LIST, type AuditTextRow } from "./audit-event-columns";

// Reads audit rows in seq order through a server-side cursor (DECLARE ... FETCH), a batch at a time,
// so memory stays constant however many rows match. The rows arrive as raw text: no type parsing, and
// exactly the text the chain hashes. The caller owns `client` (a dedicated connection: the cursor
// lives in a transaction opened here unless the caller's own is open) and must not use it for anything else meanwhile.

const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export type AuditRowQuery = { where: string; params: unknown[] };

/** Yields batches of rows matching `query.where` (SQL over audit_events' columns, $1... params), by seq. */
export async function* streamAuditRows(
  client: pg.ClientBase,
  query: AuditRowQuery = { where: "TRUE", params: [] },
  options: { batchSize?: number; inTransaction?: boolean } = {},
): AsyncGenerator<AuditTextRow[]> {
  const batchSize = options.batchSize ?? 2000;
  // Inside the caller's transaction, read what it sees (and leave it open); otherwise REPEATABLE READ:
  // one snapshot for the whole read, whatever is appended meanwhile.
  const own = !options.inTransaction;
  if (own) await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  let done = false;
  try {
    await client.query(
      `DECLARE audit_rows NO SCROLL CURSOR FOR SELECT ${AUDIT_SELECT_LIST} FROM audit_events WHERE ${query.where} ORDER BY audit_events.seq`,
      query.params,
    );
    for (;;) {
      const result = await client.query<AuditTextRow>({
        text: `FETCH ${batchSize} FROM audit_rows`,
        rowMode: "array",
        types: rawText,
      });
      if (result.rows.length === 0) break;
      yield result.rows;
    }
    await client.query(own ? "COMMIT" : "CLOSE audit_rows");
    done = true;
  } finally {
    // Also reached when the consumer stops early (return()) or throws.
    if (!done) await client.query(own ? "ROLLBACK" : "CLOSE audit_rows").catch(() => undefined);
  }
}
