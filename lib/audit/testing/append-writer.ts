// A separate app process for the concurrency test: `writers` concurrent writers appending `events`
// audit events each. Prints a JSON summary on stdout. Two modes:
// - `transaction`: each writer on its own connection, every event in its own transaction and every
//   fifth one rolled back (its number must be reused, keeping seq gap-free);
// - `mutation`: every writer through one Prisma client outside any transaction, awaiting each event:
//   the audit-first path of a mutation, group-committed (create-audit-appender.ts).
// Run as: node --conditions=react-server --import tsx append-writer.ts URL WRITERS EVENTS LABEL [MODE]
import pg from "pg";
import { createPrismaClient } from "../../db/prisma";
import { appendAuditEvent } from "../append-audit-event";

const [url, writersArg, eventsArg, label, mode = "transaction"] = process.argv.slice(2);
if (!url || !writersArg || !eventsArg || !label)
  throw new Error("usage: append-writer.ts URL WRITERS EVENTS LABEL [transaction|mutation]");
const writers = Number(writersArg);
const events = Number(eventsArg);

const input = (id: number, i: number) => ({
  actor: { userId: `${label}-w${id}`, name: `writer ${id}` },
  action: "test.concurrent_append",
  target: { cluster: "sandbox", namespace: label, name: `w${id}`, keys: [`K${i}`] },
  outcome: "success" as const,
  details: { process: label, writer: id, index: i },
});

async function transactionWriter(id: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let committed = 0;
  try {
    for (let i = 0; i < events; i++) {
      await client.query("BEGIN");
      await appendAuditEvent(client, input(id, i));
      if (i % 5 === 4) {
        await client.query("ROLLBACK");
      } else {
        await client.query("COMMIT");
        committed++;
      }
    }
  } finally {
    await client.end();
  }
  return committed;
}

let counts: number[];
if (mode === "mutation") {
  const prisma = createPrismaClient(url);
  try {
    counts = await Promise.all(
      Array.from({ length: writers }, async (_, id) => {
        for (let i = 0; i < events; i++) await appendAuditEvent(prisma, input(id, i));
        return events;
      }),
    );
  } finally {
    await prisma.$disconnect();
  }
} else {
  counts = await Promise.all(Array.from({ length: writers }, (_, id) => transactionWriter(id)));
}
process.stdout.write(`${JSON.stringify({ label, committed: counts.reduce((a, b) => a + b, 0) })}\n`);
