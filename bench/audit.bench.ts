// Audit log: (1) export 1,000,000 events as CSV, beside `psql \copy` of the same rows and columns;
// (2) append with 16 concurrent writers, each awaiting its own durable event, on the path every
// mutation takes (appendAuditEvent on the app's Prisma client, group-committed) and inside a caller's
// own transaction, beside plain inserts into a copy of the table without the chain trigger. While each
// append case runs, Postgres' backends are sampled (pg_stat_activity) to show where the time goes.
// Postgres is an embedded one started for the run. The export runs in a child process (this file,
// re-entered with SEALDECK_BENCH_AUDIT_EXPORT set) so its peak RSS is its own.
// SEALDECK_BENCH_AUDIT_EVENTS overrides the 1,000,000 for a quick run; SEALDECK_BENCH_AUDIT_CASES=append
// runs the append cases alone (no export rows).
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { chmodSync, createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";

import { appendAuditEvent } from "../lib/audit/append-audit-event";
import { AUDIT_EXPORT_COLUMNS, AUDIT_SELECT_LIST } from "../lib/audit/audit-event-columns";
import { exportAuditEvents } from "../lib/audit/export-audit-events";
import { publicKeyId } from "../lib/audit/verify-checkpoint";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { migrate } from "../lib/db/migrate";
import { createPrismaClient } from "../lib/db/prisma";
import type { BenchReport, BenchRow } from "./report";

const EVENTS = Number(process.env.SEALDECK_BENCH_AUDIT_EVENTS ?? 1_000_000);
const EXPORT_CASES = process.env.SEALDECK_BENCH_AUDIT_CASES !== "append";
const WRITERS = 16;
const APPENDS_PER_WRITER = 250;
const EXPORT_RATIO_TARGET = 1.5;
const RSS_TARGET_MB = 200;
const APPEND_RATE_TARGET = 1000;
const APPEND_RATIO_TARGET = 3;

type ExportChildResult = { ms: number; peakRssMb: number; count: number; bytes: number };

/** Child mode: export every event as CSV to a file and report time and peak RSS. */
async function exportChild(url: string, file: string): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const key = {
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: publicKeyId(publicKey),
  };
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const started = performance.now();
  const output = createWriteStream(file);
  const manifest = await exportAuditEvents({ pool, key, filters: {}, format: "csv", output });
  output.end();
  await finished(output);
  const ms = performance.now() - started;
  await pool.end();
  const result: ExportChildResult = {
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    count: manifest.count,
    bytes: statSync(file).size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} exited ${code}: ${stderr.trim().split("\n").pop() ?? ""}`)),
    );
  });
}

const GENERATE = `INSERT INTO audit_events (actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action,
    target_cluster, target_namespace, target_kind, target_name, target_keys, outcome, details, pull_request_url, request_id)
  SELECT 'u-' || (i % 50), 'User ' || (i % 50), 'developer', '10.0.' || (i % 200) || '.1', 'Mozilla/5.0 (X11; Linux x86_64) bench',
    (ARRAY['seal.requested', 'secret.viewed', 'pull_request.opened'])[1 + i % 3], 'prod', 'ns-' || (i % 20), 'SealedSecret',
    'app-' || (i % 300), ARRAY['DB_PASSWORD', 'API_KEY'], 'success',
    jsonb_build_object('certificateFingerprint', md5(i::text), 'scope', 'strict'),
    CASE WHEN i % 10 = 0 THEN 'https://git.example/org/repo/pull/' || i END, 'req-' || i
  FROM generate_series(1, $1::int) AS i`;

type WaitProfile = { samples: number; shares: Record<string, number> };

/**
 * Samples what the benchmark's backends are doing every few milliseconds until stopped: waiting for
 * the chain lock (Lock:advisory), flushing WAL (IO:WALSync / IO:WALWrite, LWLock:WALWrite), running
 * (CPU: the statement and its trigger), or idle waiting for the next statement (Client:ClientRead).
 */
function sampleWaits(url: string) {
  const client = new pg.Client({ connectionString: url });
  const counts: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ what: string }>(
        `SELECT CASE WHEN wait_event IS NULL THEN 'CPU' ELSE wait_event_type || ':' || wait_event END AS what
           FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            AND state <> 'idle'`,
      );
      for (const { what } of rows) counts[what] = (counts[what] ?? 0) + 1;
      samples += rows.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.end();
  })();
  return async (): Promise<WaitProfile> => {
    running = false;
    await done;
    const shares: Record<string, number> = {};
    for (const [what, n] of Object.entries(counts)) shares[what] = n / Math.max(samples, 1);
    return { samples, shares };
  };
}

function describeWaits(profile: WaitProfile): string {
  const top = Object.entries(profile.shares)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([what, share]) => `${what} ${(share * 100).toFixed(0)}%`);
  return `busy backends sampled: ${top.join(", ")}`;
}

/** Events per second for `writers` concurrent loops, each with its own connection, appending `perWriter` events. */
async function appendRate(
  writers: number,
  perWriter: number,
  append: (client: pg.Client, writer: number, i: number) => Promise<void>,
  url: string,
): Promise<{ rate: number; waits: WaitProfile }> {
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const stopSampling = sampleWaits(url);
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, w) => {
      for (let i = 0; i < perWriter; i++) await append(client, w, i);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const waits = await stopSampling();
  await Promise.all(clients.map((client) => client.end()));
  return { rate: (writers * perWriter) / seconds, waits };
}

type ExportFigures = {
  child: ExportChildResult;
  copyMs: number;
  generateMs: number;
  exportSha256: string;
  copySha256: string;
};

async function measureExport(url: string, dir: string): Promise<ExportFigures> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let generateMs: number;
  try {
    const started = performance.now();
    await admin.query(GENERATE, [EVENTS]);
    generateMs = performance.now() - started;
    await admin.query("VACUUM ANALYZE audit_events");
  } finally {
    await admin.end();
  }

  const here = fileURLToPath(import.meta.url);
  const exportFile = join(dir, "export.csv");
  const child = JSON.parse(
    await run(process.execPath, ["--conditions=react-server", "--import", import.meta.resolve("tsx"), here], {
      ...process.env,
      SEALDECK_BENCH_AUDIT_EXPORT: JSON.stringify({ url, file: exportFile }),
      TSX_TSCONFIG_PATH: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
    }),
  ) as ExportChildResult;
  const exportSha256 = await sha256File(exportFile);
  rmSync(exportFile, { force: true });

  const copyFile = join(dir, "copy.csv");
  const copyStarted = performance.now();
  await run("psql", [
    url,
    "-v",
    "ON_ERROR_STOP=1",
    "-q",
    "-c",
    `\\copy (SELECT ${AUDIT_SELECT_LIST.replace(/\s+/g, " ")} FROM audit_events ORDER BY audit_events.seq) TO '${copyFile}' WITH (FORMAT csv, HEADER, FORCE_QUOTE (${AUDIT_EXPORT_COLUMNS.slice(1).join(", ")}))`,
  ]);
  const copyMs = performance.now() - copyStarted;
  const copySha256 = await sha256File(copyFile);
  rmSync(copyFile, { force: true });
  return { child, copyMs, generateMs, exportSha256, copySha256 };
}

function exportRows({ child, copyMs, generateMs, exportSha256, copySha256 }: ExportFigures): BenchRow[] {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  return [
    {
      name: `export ${EVENTS.toLocaleString("en")} events as CSV (streamed, signed manifest)`,
      value: child.ms,
      unit: "ms",
      reference: { name: "psql \\copy of the same rows", value: copyMs },
      ratio: child.ms / copyMs,
      target: `≤ ${EXPORT_RATIO_TARGET}× psql`,
      pass: child.ms / copyMs <= EXPORT_RATIO_TARGET && child.count === EVENTS && exportSha256 === copySha256,
      note: `${mb(child.bytes)} MB, ${exportSha256 === copySha256 ? "byte-identical to" : "DIFFERS from"} psql's file; export time includes signing the checkpoint; generating the rows through the chain trigger took ${(generateMs / 1000).toFixed(1)} s`,
    },
    {
      name: `export ${EVENTS.toLocaleString("en")} events as CSV: peak RSS of the exporting process`,
      value: child.peakRssMb,
      unit: "MB",
      target: `≤ ${RSS_TARGET_MB} MB`,
      pass: child.peakRssMb <= RSS_TARGET_MB,
      note: "child process running exportAuditEvents only (includes Node and tsx)",
    },
  ];
}

export default async function runBench(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), "sealdeck-bench-audit-"));
  // As root, Postgres runs as the postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, "postgres"), database: "bench" });
  try {
    await migrate(server.url);
    const load = loadavg().map((n) => n.toFixed(1));
    const rows: BenchRow[] = EXPORT_CASES ? exportRows(await measureExport(server.url, dir)) : [];

    // Appends: the chained table through appendAuditEvent, against plain inserts into a copy of the
    // table (same columns, indexes and constraints; a sequence instead of the chain trigger).
    const setup = new pg.Client({ connectionString: server.url });
    await setup.connect();
    await setup.query("CREATE TABLE audit_events_plain (LIKE audit_events INCLUDING ALL)");
    await setup.query("CREATE SEQUENCE audit_events_plain_seq OWNED BY audit_events_plain.seq");
    await setup.query(
      "ALTER TABLE audit_events_plain ALTER COLUMN seq SET DEFAULT nextval('audit_events_plain_seq')",
    );
    await setup.end();
    const input = (w: number, i: number) => ({
      actor: { userId: `u-${w}`, name: `Writer ${w}`, role: "developer", ip: "10.0.0.1", userAgent: "bench" },
      action: "seal.requested",
      target: {
        cluster: "prod",
        namespace: `ns-${w}`,
        kind: "SealedSecret",
        name: `app-${i}`,
        keys: ["DB_PASSWORD"],
      },
      outcome: "success" as const,
      details: { certificateFingerprint: "ab".repeat(16), scope: "strict" },
      requestId: `req-${w}-${i}`,
    });
    // The path every mutation takes: its "requested" event through appendAuditEvent on the app's
    // Prisma client (as getPrismaOrThrow returns it), outside any transaction, each writer awaiting its
    // own event before the next, as an action awaits it before acting.
    const headSeq = async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        return (
          await client.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM audit_events")
        ).rows[0]!.seq;
      } finally {
        await client.end();
      }
    };
    const prisma = createPrismaClient(server.url);
    let mutation: Awaited<ReturnType<typeof appendRate>>;
    let firstSeq: string;
    try {
      // A running app's client is warm: its connections are open and its first query compiled.
      await Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          appendAuditEvent(prisma, { ...input(w, -1), requestId: "warm-up" }),
        ),
      );
      firstSeq = await headSeq();
      mutation = await appendRate(
        WRITERS,
        APPENDS_PER_WRITER,
        async (_client, w, i) => {
          await appendAuditEvent(prisma, input(w, i));
        },
        server.url,
      );
    } finally {
      await prisma.$disconnect();
    }
    // How many commits (hence WAL flushes) the mutation path took: rows of one batch share their xmin.
    const commits = await (async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        return Number(
          (
            await client.query<{ n: string }>(
              "SELECT count(DISTINCT xmin::text)::text AS n FROM audit_events WHERE seq > $1",
              [firstSeq],
            )
          ).rows[0]!.n,
        );
      } finally {
        await client.end();
      }
    })();
    // Events that commit with an action's own state: one transaction per event, the chain lock held
    // through each commit.
    const inTransaction = await appendRate(
      WRITERS,
      APPENDS_PER_WRITER,
      async (client, w, i) => {
        await client.query("BEGIN");
        await appendAuditEvent(client, input(w, i));
        await client.query("COMMIT");
      },
      server.url,
    );
    const zero = Buffer.alloc(32);
    const plain = await appendRate(
      WRITERS,
      APPENDS_PER_WRITER,
      async (client, w, i) => {
        const e = input(w, i);
        await client.query(
          `INSERT INTO audit_events_plain (actor_user_id, actor_name, actor_role, actor_ip, actor_user_agent, action, target_cluster,
           target_namespace, target_kind, target_name, target_keys, outcome, details, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12, $13::jsonb, $14, $15, $15)`,
          [
            e.actor.userId,
            e.actor.name,
            e.actor.role,
            e.actor.ip,
            e.actor.userAgent,
            e.action,
            e.target.cluster,
            e.target.namespace,
            e.target.kind,
            e.target.name,
            e.target.keys,
            e.outcome,
            JSON.stringify(e.details),
            e.requestId,
            zero,
          ],
        );
      },
      server.url,
    );
    const reference = { name: "plain INSERT, same columns and indexes, no chain", value: plain.rate };
    const machine = `load average ${load.join(" / ")} (1/5/15 min) on ${availableParallelism()} cores at the start`;
    rows.push(
      {
        name: `append, ${WRITERS} concurrent writers each awaiting its own durable event: the mutation path (appendAuditEvent on the app's Prisma client, group commit)`,
        value: mutation.rate,
        unit: "events/s",
        reference,
        ratio: plain.rate / mutation.rate,
        target: `≥ ${APPEND_RATE_TARGET} events/s and ≤ ${APPEND_RATIO_TARGET}× slower than plain`,
        pass: mutation.rate >= APPEND_RATE_TARGET && plain.rate / mutation.rate <= APPEND_RATIO_TARGET,
        note: `ratio = plain ÷ chained; events queued while a batch commits share the next INSERT and its WAL flush: ${WRITERS * APPENDS_PER_WRITER} events in ${commits} commits (${((WRITERS * APPENDS_PER_WRITER) / commits).toFixed(1)} per batch); ${describeWaits(mutation.waits)}; plain: ${describeWaits(plain.waits)}; ${machine}`,
      },
      {
        name: `append, ${WRITERS} concurrent writers, each event in its own transaction (appendAuditEvent with the action's transaction)`,
        value: inTransaction.rate,
        unit: "events/s",
        reference,
        ratio: plain.rate / inTransaction.rate,
        note: `for events that commit with an action's own state (settings, rotation policies); the chain lock is held through each commit's WAL flush, so these commits cannot overlap; ${describeWaits(inTransaction.waits)}`,
      },
    );
    const title = `Audit log (embedded Postgres 18${EXPORT_CASES ? `, ${EVENTS.toLocaleString("en")} events` : ", append cases only"})`;
    return { title, rows };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const childArgs = process.env.SEALDECK_BENCH_AUDIT_EXPORT;
if (childArgs) {
  const { url, file } = JSON.parse(childArgs) as { url: string; file: string };
  await exportChild(url, file);
}
