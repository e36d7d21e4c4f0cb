// One app replica for the multi-process job tests (run-exclusive.replicas.test.ts): over the database
// in DATABASE_URL it starts the background jobs exactly as the launcher and the app do (audit
// checkpoints, audit retention, the pull-request poller), with short periods, observes a rotation, and
// runs `writers` concurrent audit writers. Each job run prints one JSON line on stdout. SIGTERM stops
// the jobs (giving their leases up) and exits; SIGKILL is the replica dying.
// Run as: node --conditions=react-server --import tsx job-replica.ts LABEL WRITERS EVENTS
import pg from "pg";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { observeValues } from "@/lib/audit/observe-rotations";
import { parseEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { createProvider } from "@/lib/gitops/create-provider";
import { startProposalPoller } from "@/lib/gitops/start-proposal-poller";
import { startAuditRetention } from "@/lib/settings/start-audit-retention";

import { startAuditCheckpoints } from "../../../bin/launcher/start-audit-checkpoints";

const [label, writersArg, eventsArg] = process.argv.slice(2);
if (!label || !writersArg || !eventsArg) throw new Error("usage: job-replica.ts LABEL WRITERS EVENTS");
const env = parseEnv();
const url = env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const periodMs = Number(process.env.TEST_JOB_PERIOD_MS);
const leaseMs = Number(process.env.TEST_JOB_LEASE_MS);

const say = (line: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ label, pid: process.pid, at: Date.now(), ...line })}\n`);

const checkpoints = await startAuditCheckpoints(
  url,
  env,
  (line) => {
    if (line.startsWith("audit log checkpoint signed")) say({ job: "audit-checkpoint" });
    else if (!line.includes("back it up")) say({ problem: line });
  },
  { periodMs, leaseMs },
);
const retention = startAuditRetention(url, [checkpoints.publicKeyPem], (line) => say({ problem: line }), {
  periodMs,
  leaseMs,
});
// The real plain-git provider, counted: each poll asks it once about the one open proposal.
const poller = startProposalPoller({
  periodMs,
  leaseMs,
  providerFor: (repository) => {
    const provider = createProvider(repository);
    return {
      ...provider,
      getPullRequestState: (ref) => {
        say({ job: "proposal-poll" });
        return provider.getPullRequestState(ref);
      },
    };
  },
});

// Every replica's rotation watcher reports the same two values of one key.
const observation = {
  cluster: "sandbox",
  kind: "SealedSecret" as const,
  namespace: "payments",
  name: "db",
  key: "password",
};
await observeValues(getPrismaOrThrow(), [{ ...observation, valueHash: "a".repeat(64) }]);
await observeValues(getPrismaOrThrow(), [{ ...observation, valueHash: "b".repeat(64) }]);

async function writer(id: number, events: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < events; i++)
      await appendAuditEvent(client, {
        actor: { userId: `${label}-w${id}`, name: `writer ${id}` },
        action: "test.concurrent_append",
        target: { cluster: "sandbox", namespace: label, name: `w${id}`, keys: [`K${i}`] },
        outcome: "success",
        details: { process: label, writer: id, index: i },
      });
    return events;
  } finally {
    await client.end();
  }
}
const counts = await Promise.all(
  Array.from({ length: Number(writersArg) }, (_, id) => writer(id, Number(eventsArg))),
);
say({ written: counts.reduce((a, b) => a + b, 0) });

process.on("SIGTERM", () => {
  void Promise.all([checkpoints.stop(), retention.stop(), poller?.stop()]).then(() => process.exit(0));
});
setInterval(() => undefined, 60_000);
