import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { verifyDatabaseChain } from "./verify-database-chain";

// 16 concurrent writers in two separate Node processes (as two app replicas would be) append to one
// table; the trigger's lock must still produce one gap-free, valid chain.

const script = fileURLToPath(new URL("./testing/append-writer.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));
const WRITERS_PER_PROCESS = 8;
const EVENTS_PER_WRITER = 20;

function runWriterProcess(
  url: string,
  label: string,
  mode: "transaction" | "mutation" = "transaction",
): Promise<{ label: string; committed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        import.meta.resolve("tsx"),
        script,
        url,
        String(WRITERS_PER_PROCESS),
        String(EVENTS_PER_WRITER),
        label,
        mode,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as { label: string; committed: number })
        : reject(new Error(`writer ${label} exited ${code}: ${stderr}`)),
    );
  });
}

describe("concurrent appends", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("16 writers over two processes produce one valid, gap-free chain", { timeout: 120_000 }, async () => {
    const results = await Promise.all([
      runWriterProcess(db.url, "replica-a"),
      runWriterProcess(db.url, "replica-b"),
    ]);
    const committed = results.reduce((sum, r) => sum + r.committed, 0);
    // Every fifth append was rolled back.
    expect(committed).toBe(2 * WRITERS_PER_PROCESS * EVENTS_PER_WRITER * 0.8);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const result = await verifyDatabaseChain(client);
      expect(result).toMatchObject({ ok: true, count: committed, firstSeq: "1", lastSeq: String(committed) });
      // Both processes' events are interleaved in the one chain.
      const { rows } = await client.query<{ namespace: string; count: string }>(
        "SELECT target_namespace AS namespace, count(*)::text AS count FROM audit_events GROUP BY 1 ORDER BY 1",
      );
      expect(rows).toEqual([
        { namespace: "replica-a", count: String(committed / 2) },
        { namespace: "replica-b", count: String(committed / 2) },
      ]);
    } finally {
      await client.end();
    }
  });

  it(
    "16 writers over two processes on the mutation path (group commit), beside 8 in transactions, share one valid chain",
    { timeout: 180_000 },
    async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const before = Number(
          (await client.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_events")).rows[0]!.n,
        );
        const results = await Promise.all([
          runWriterProcess(db.url, "mutation-a", "mutation"),
          runWriterProcess(db.url, "mutation-b", "mutation"),
          runWriterProcess(db.url, "transaction-c"),
        ]);
        const committed = results.reduce((sum, r) => sum + r.committed, 0);
        expect(committed).toBe(
          2 * WRITERS_PER_PROCESS * EVENTS_PER_WRITER + WRITERS_PER_PROCESS * EVENTS_PER_WRITER * 0.8,
        );
        const result = await verifyDatabaseChain(client);
        expect(result).toMatchObject({
          ok: true,
          count: before + committed,
          lastSeq: String(before + committed),
        });
        // Each writer's events are in the chain in the order it appended them.
        const { rows } = await client.query<{ writer: string; indexes: number[] }>(
          `SELECT actor_user_id AS writer, array_agg((details->>'index')::int ORDER BY seq) AS indexes
             FROM audit_events WHERE target_namespace LIKE 'mutation-%' GROUP BY 1`,
        );
        expect(rows).toHaveLength(2 * WRITERS_PER_PROCESS);
        for (const row of rows)
          expect(row.indexes).toEqual(Array.from({ length: EVENTS_PER_WRITER }, (_, i) => i));
      } finally {
        await client.end();
      }
    },
  );
});
