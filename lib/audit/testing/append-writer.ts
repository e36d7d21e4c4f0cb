// A separate app process for the concurrency test: `writers` concurrent writers, each appending
// `events` audit events through its own connection, every fifth one in a transaction that is rolled
// back (its number must be reused, keeping seq gap-free). Prints a JSON summary on stdout.
// Run as: node --conditions=react-server --import tsx append-writer.ts URL WRITERS EVENTS LABEL
import pg from "pg";
import { appendAuditEvent } from "../append-audit-event";

const [url, writersArg, eventsArg, label] = process.argv.slice(2);
if (!url || !writersArg || !eventsArg || !label)
  throw new Error("usage: append-writer.ts URL WRITERS EVENTS LABEL");
const writers = Number(writersArg);
const events = Number(eventsArg);

async function writer(id: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let committed = 0;
  try {
    for (let i = 0; i < events; i++) {
      const input = {
        actor: { userId: `${label}-w${id}`, name: `writer ${id}` },
        action: "test.concurrent_append",
        target: { cluster: "sandbox", namespace: label, name: `w${id}`, keys: [`K${i}`] },
        outcome: "success" as const,
        details: { process: label, writer: id, index: i },
      };
      await client.query("BEGIN");
      await appendAuditEvent(client, input);
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

const counts = await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
process.stdout.write(`${JSON.stringify({ label, committed: counts.reduce((a, b) => a + b, 0) })}\n`);
