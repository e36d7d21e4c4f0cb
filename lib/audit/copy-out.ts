import "server-only";
import type pg from "pg";

// `COPY (...) TO STDOUT` over an ordinary pg client, without the pg-copy-streams package: a minimal
// Submittable that hands each CopyData chunk to the caller and pauses the socket while the caller's
// output drains, so memory stays bounded however large the result. COPY takes no bind parameters:
// callers inline values with client.escapeLiteral().

type PgConnection = { query(text: string): void; stream: { pause(): void; resume(): void } };

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

  handleCopyData(message: { chunk: Buffer }, connection: PgConnection) {
    // The chunk is a view into the protocol parser's buffer, which the next read overwrites: copy it
    // before it outlives this call (a Writable may hold it until flushed).
    const result = this.onChunk(Buffer.from(message.chunk));
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

  handleCommandComplete(message: { text: string }) {
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
