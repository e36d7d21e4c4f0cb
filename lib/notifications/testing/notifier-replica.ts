// A separate app process for the replica test: runs the notification scheduler's pass TICKS times in
// two concurrent loops (as a replica's timer and its "send a test" might), over one pool, with the items
// in ITEMS_FILE (what this replica's inventory would see) at the clock NOW (+1 s per pass). Channel
// secrets come from this process's environment, as in production. Prints a JSON summary on stdout.
// Run as: node --conditions=react-server --import tsx notifier-replica.ts URL NOW ITEMS_FILE TICKS
import { readFileSync } from "node:fs";
import pg from "pg";
import type { NotificationItem } from "@/lib/validations/notifications";
import { runNotificationTick } from "../run-notification-tick";

const [url, nowArg, itemsFile, ticksArg] = process.argv.slice(2);
if (!url || !nowArg || !itemsFile || !ticksArg)
  throw new Error("usage: notifier-replica.ts URL NOW ITEMS_FILE TICKS");
const items = JSON.parse(readFileSync(itemsFile, "utf8")) as NotificationItem[];
const start = Date.parse(nowArg);
const ticks = Number(ticksArg);

const pool = new pg.Pool({ connectionString: url, max: 4 });
const summary = { opened: 0, immediate: 0, digests: 0, sent: 0, failed: 0 };

async function loop(offset: number) {
  for (let i = offset; i < ticks; i += 2) {
    const result = await runNotificationTick(pool, {
      items,
      now: new Date(start + i * 1000),
      env: process.env,
    });
    if ("skipped" in result) throw new Error(`tick skipped: ${result.skipped}`);
    summary.opened += result.enqueued.opened.length;
    summary.immediate += result.enqueued.immediate;
    summary.digests += result.enqueued.digests;
    summary.sent += result.delivered.sent;
    summary.failed += result.delivered.failed;
  }
}

try {
  await Promise.all([loop(0), loop(1)]);
  process.stdout.write(JSON.stringify(summary));
} finally {
  await pool.end();
}
