import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSigningKey } from "@/lib/audit/testing/test-signing-key";
import { verifyDatabaseChain } from "@/lib/audit/verify-database-chain";
import { runGit } from "@/lib/gitops/run-git";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";

// Two and three app replicas (separate Node processes, lib/jobs/testing/job-replica.ts) over one
// database: each background job runs once per period across them, the replica holding a job can die
// and another takes the job within one lease period, and 16 audit writers spread over the processes
// (with the jobs writing checkpoints and prune events beside them) leave one valid chain.

const script = fileURLToPath(new URL("./testing/job-replica.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));
const PERIOD_MS = 1000;
const LEASE_MS = 1500;
const EVENTS_PER_WRITER = 10;
const JOBS = ["audit-checkpoint", "proposal-poll"] as const;

type Line = { label: string; pid: number; at: number; job?: string; written?: number; problem?: string };

type Replica = { label: string; child: ChildProcessWithoutNullStreams; lines: Line[]; exited: Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 60_000,
): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runGit(args, {
    cwd,
    env: {
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.test",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.test",
    },
  });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

describe("two, then three replicas over one database", () => {
  const db = setupMigratedDatabase();
  const key = createTestSigningKey();
  const replicas: Replica[] = [];
  let dataDir = "";

  const start = (label: string, writers: number): Replica => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        import.meta.resolve("tsx"),
        script,
        label,
        String(writers),
        String(EVENTS_PER_WRITER),
      ],
      {
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: tsconfig,
          DATABASE_URL: db.url,
          SEALDECK_DATA_DIR: dataDir,
          SEALDECK_AUDIT_SIGNING_KEY: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          LOG_LEVEL: "fatal",
          TEST_JOB_PERIOD_MS: String(PERIOD_MS),
          TEST_JOB_LEASE_MS: String(LEASE_MS),
        },
      },
    );
    const replica: Replica = {
      label,
      child,
      lines: [],
      exited: new Promise((resolve) => child.on("exit", () => resolve())),
    };
    let buffer = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const part of parts) if (part.startsWith('{"label"')) replica.lines.push(JSON.parse(part) as Line);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    void replica.exited.then(() => {
      if (child.exitCode !== 0 && child.signalCode !== "SIGKILL" && child.signalCode !== "SIGTERM")
        replica.lines.push({ label, pid: child.pid ?? 0, at: Date.now(), problem: `exited: ${stderr}` });
    });
    replicas.push(replica);
    return replica;
  };

  const runs = (job: string, after = 0) =>
    replicas
      .flatMap((r) => r.lines)
      .filter((l) => l.job === job && l.at > after)
      .sort((a, b) => a.at - b.at);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "sealdeck-replicas-"));
    // The default repository (<data dir>/gitops, plain git): one proposal merged, one still open.
    const repo = path.join(dataDir, "gitops");
    await git(dataDir, "init", "--quiet", "--initial-branch=main", repo);
    await git(repo, "commit", "--quiet", "--allow-empty", "-m", "start");
    await git(repo, "checkout", "--quiet", "-b", "sealdeck/merged");
    await git(repo, "commit", "--quiet", "--allow-empty", "-m", "merged proposal");
    await git(repo, "checkout", "--quiet", "-b", "sealdeck/open", "main");
    await git(repo, "commit", "--quiet", "--allow-empty", "-m", "open proposal");
    await git(repo, "checkout", "--quiet", "main");
    await git(repo, "merge", "--quiet", "--no-ff", "-m", "Merge sealdeck/merged", "sealdeck/merged");
    for (const branch of ["sealdeck/merged", "sealdeck/open"])
      await db.prisma.proposal.create({
        data: {
          repository: "default",
          provider: "plain-git",
          number: 0,
          url: `${repo}#${branch}`,
          branch,
          baseBranch: "main",
          headSha: await git(repo, "rev-parse", branch),
          state: "open",
          title: branch,
          namespace: "payments",
          name: "db",
          clusters: ["sandbox"],
          keys: ["password"],
          requestedByName: "Dev",
        },
      });
    // Retention configured: each run writes its prune events into the chain (nothing is old enough).
    await db.query(
      "INSERT INTO settings (key, value, updated_at) VALUES ('audit.retention-days', '3650', now())",
    );
  });

  afterAll(async () => {
    for (const r of replicas)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGKILL");
    await Promise.all(replicas.map((r) => r.exited));
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    "runs each job once per period, hands a dead holder's job on within a lease period, keeps one chain",
    { timeout: 180_000 },
    async () => {
      // Each job keeps running (whoever holds it) while replicas join.
      const ranSince = (from: number) =>
        until("a run of every job", () => JOBS.every((job) => runs(job, from).length > 0));
      // 16 writers over the processes (6 + 5 + 5), the third process joining later.
      start("replica-0", 6);
      start("replica-1", 5);
      await ranSince(0);
      await sleep(3 * PERIOD_MS);
      const third = start("replica-2", 5);
      await until("every replica's writers", () =>
        replicas.every((r) => r.lines.some((l) => l.written !== undefined)),
      );
      expect(third.lines.some((l) => l.written === 5 * EVENTS_PER_WRITER)).toBe(true);
      await ranSince(Date.now());
      await sleep(3 * PERIOD_MS);
      const problems = replicas.flatMap((r) => r.lines).filter((l) => l.problem);
      expect(problems).toEqual([]);

      // Kill the replica holding the checkpoint job, as a node dies: no clean shutdown, no release.
      const owner = new pg.Client({ connectionString: db.url });
      await owner.connect();
      try {
        const lease = async () =>
          (
            await owner.query<{ holder: string; expires_at: Date; acquired_at: Date }>(
              "SELECT holder, expires_at, acquired_at FROM job_leases WHERE name = 'audit-checkpoint'",
            )
          ).rows[0];
        const before = await until("the checkpoint lease", lease);
        const holderPid = Number(before.holder.split(":").at(-2));
        const victim = replicas.find((r) => r.child.pid === holderPid);
        expect(victim).toBeDefined();
        victim?.child.kill("SIGKILL");
        await victim?.exited;
        const killedAt = Date.now();
        const { rows: last } = await owner.query<{ expires_at: Date }>(
          "SELECT expires_at FROM job_leases WHERE name = 'audit-checkpoint'",
        );
        const expiredAt = last[0]?.expires_at ?? new Date(0);

        const after = await until("another holder", async () => {
          const now = await lease();
          return now && now.holder !== before.holder ? now : null;
        });
        // Taken only once the dead holder's lease ran out, and within one lease period of that.
        expect(after.acquired_at.getTime()).toBeGreaterThanOrEqual(expiredAt.getTime());
        expect(after.acquired_at.getTime() - expiredAt.getTime()).toBeLessThanOrEqual(LEASE_MS);
        const survivor = await until("a checkpoint by another replica", () =>
          runs("audit-checkpoint", killedAt).find((l) => l.pid !== holderPid),
        );
        expect(after.holder.split(":").at(-2)).toBe(String(survivor.pid));
      } finally {
        await owner.end();
      }

      // A clean stop gives the leases up.
      for (const r of replicas)
        if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGTERM");
      await Promise.all(replicas.map((r) => r.exited));

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const verified = await verifyDatabaseChain(client, { trustedPublicKeys: [key.publicKeyPem] });
        expect(verified).toMatchObject({ ok: true, firstSeq: "1" });
        const count = async (action: string) =>
          Number(
            (
              await client.query<{ n: string }>(
                "SELECT count(*)::text AS n FROM audit_events WHERE action = $1",
                [action],
              )
            ).rows[0]?.n,
          );
        expect(await count("test.concurrent_append")).toBe(16 * EVENTS_PER_WRITER);
        // Every replica saw the key change; one event. The merged proposal: one event, whoever polled.
        expect(await count("rotation.observed")).toBe(1);
        expect(await count("pull_request.merged")).toBe(1);
        // Once per period across the processes: no more runs than periods in the time they ran (plus the
        // edges); every process running its own timer would make two or three times as many. (Counted,
        // not spaced: a process paused by the machine may start its claimed run late.)
        const { rows: signed } = await client.query<{ n: number; span: number }>(
          `SELECT count(*)::int AS n, (extract(epoch FROM max(created_at) - min(created_at)) * 1000)::int AS span
         FROM audit_checkpoints`,
        );
        expect(signed[0]?.n).toBeGreaterThanOrEqual(4);
        expect(signed[0]?.n).toBeLessThanOrEqual(Math.floor((signed[0]?.span ?? 0) / PERIOD_MS) + 2);
        const { rows: prunes } = await client.query<{ n: number; span: number }>(
          `SELECT count(*)::int AS n, (extract(epoch FROM max(time) - min(time)) * 1000)::int AS span
         FROM audit_events WHERE action = 'audit.prune.requested'`,
        );
        expect(prunes[0]?.n).toBeGreaterThanOrEqual(2);
        expect(prunes[0]?.n).toBeLessThanOrEqual(Math.floor((prunes[0]?.span ?? 0) / PERIOD_MS) + 2);
        const polls = runs("proposal-poll");
        expect(polls.length).toBeGreaterThanOrEqual(2);
        expect(polls.length).toBeLessThanOrEqual(
          Math.floor(((polls.at(-1)?.at ?? 0) - (polls[0]?.at ?? 0)) / PERIOD_MS) + 2,
        );
        const { rows: states } = await client.query<{ branch: string; state: string }>(
          "SELECT branch, state FROM proposals ORDER BY branch",
        );
        expect(states).toEqual([
          { branch: "sealdeck/merged", state: "merged" },
          { branch: "sealdeck/open", state: "open" },
        ]);
        const { rows: leases } = await client.query<{ name: string; released: boolean }>(
          "SELECT name, expires_at <= clock_timestamp() AS released FROM job_leases ORDER BY name",
        );
        expect(leases).toEqual(
          ["audit-checkpoint", "audit-retention", "proposal-poll"].map((name) => ({ name, released: true })),
        );
      } finally {
        await client.end();
      }
    },
  );
});
