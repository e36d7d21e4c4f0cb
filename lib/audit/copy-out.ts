import "server-only";
import type pg from "pg";

// `COPY (...) TO STDOUT` over an ordinary pg client, without the pg-copy-streams package: a minimal
// Submittable that hands each CopyData chunk to the caller and pauses the socket while the caller's
// output drains, so memory stays bounded however large the result. COPY takes no bind parameters:
// callers inline values with client.escapeLiteral().

type PgConnection = { query(text: string): void; stream: { pause(): void; resume(): void } };

const STAGE_BYTES = 64 * 1024;

class CopyOutQuery {
  private pending = 0;
  private failed = false;
  rowCount = 0;
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;

  constructor(
    private readonly text: string,
    private readonly onChunk: (chunk: Buffer) => Promise<void> | void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: PgConnection) {
    connection.query(this.text);
  }

  // Postgres sends one CopyData message per row: handing each on would mean a million hash updates and
  // writes for a million-row export. Rows are gathered into STAGE_BYTES buffers and handed on full.
  private staged = Buffer.allocUnsafe(STAGE_BYTES);
  private used = 0;

  handleCopyData(message: { chunk: Buffer }, connection: PgConnection) {
    const { chunk } = message;
    if (this.used + chunk.length > this.staged.length) {
      this.flush(connection);
      if (chunk.length > this.staged.length) this.staged = Buffer.allocUnsafe(chunk.length);
    }
    // The chunk is a view into the protocol parser's buffer, which the next read overwrites: copied
    // before it outlives this call (a Writable may hold it until flushed).
    chunk.copy(this.staged, this.used);
    this.used += chunk.length;
  }

  private flush(connection: PgConnection) {
    if (this.used === 0) return;
    const full = this.staged.subarray(0, this.used);
    this.staged = Buffer.allocUnsafe(STAGE_BYTES);
    this.used = 0;
    this.deliver(full, connection);
  }

  private deliver(buffer: Buffer, connection: PgConnection) {
    const result = this.onChunk(buffer);
    if (!result) return;
    if (this.pending++ === 0) connection.stream.pause();
    result.then(
      () => {
        if (--this.pending === 0) connection.stream.resume();
      },
      (error: unknown) => {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        if (--this.pending === 0) connection.stream.resume();
      },
    );
  }

  handleCommandComplete(message: { text: string }, connection: PgConnection) {
    this.flush(connection);
    this.rowCount = Number(/^COPY (\d+)$/.exec(message.text)?.[1] ?? 0);
  }

  handleReadyForQuery() {
    if (this.failed) return;
    // Wait for the last chunks' writes before reporting success.
    const settle = () => (this.pending === 0 ? this.resolve(this.rowCount) : setImmediate(settle));
    settle();
  }

  handleError(error: Error) {
    this.fail(error);
  }

  // COPY sends none of these; present because the client may call them on any active query.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyInResponse() {}

  private fail(error: Error) {
    if (this.failed) return;
    this.failed = true;
    this.reject(error);
  }
}

/** Runs a `COPY ... TO STDOUT` statement; resolves to the number of rows once all chunks were handled. */
export function copyOut(
  client: pg.ClientBase,
  sql: string,
  onChunk: (chunk: Buffer) => Promise<void> | void,
): Promise<number> {
  const query = new CopyOutQuery(sql, onChunk);
  client.query(query as unknown as pg.Submittable);
  return query.done;
}
