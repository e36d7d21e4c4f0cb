import "server-only";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getEnv } from "@/lib/config/env";
import { getInventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { findStoreIncidents } from "@/lib/recovery/find-store-incidents";
import { getRotationSchedule } from "@/lib/rotation/get-rotation-schedule";
import { collectNotificationItems } from "./collect-notification-items";
import { runNotificationTick } from "./run-notification-tick";

export type NotificationScheduler = {
  /** Runs a pass now (after the one under way, if any); resolves when done. */
  runNow(): Promise<void>;
  stop(): void;
};

const globalForScheduler = globalThis as unknown as { sealdeckNotificationScheduler?: NotificationScheduler };

/** What is wrong now, from this process's inventory and cached rotation schedule; null until it is ready. */
async function currentItems() {
  const inventory = getInventory();
  // Not ready yet: say nothing rather than "nothing is wrong" (a half-loaded view would open items late).
  if (inventory.clusterStatuses().some((c) => c.state === "connecting")) return null;
  const schedule = await getRotationSchedule().catch((error: unknown) => {
    logger.warn({ err: error }, "notifications: rotation schedule unavailable");
    return null;
  });
  return collectNotificationItems({
    schedule,
    records: inventory.list(),
    warnings: inventory.warnings(),
    storeIncidents: inventory.clusters.flatMap((c) => findStoreIncidents(c.entry.name, c.snapshot())),
    baseUrl: getEnv().NEXTAUTH_URL ?? null,
  });
}

/**
 * Runs the notification scheduler in this process every SEALDECK_NOTIFY_INTERVAL_SECONDS (0: off).
 * Every replica runs one: the deliveries table's unique key and row claims make them share the work
 * (see enqueue-notifications.ts and deliver-notifications.ts). Kept on globalThis: one per process,
 * whichever bundle starts it.
 */
export function startNotificationScheduler(): NotificationScheduler | null {
  stopNotificationScheduler();
  const intervalMs = getEnv().SEALDECK_NOTIFY_INTERVAL_SECONDS * 1000;
  if (intervalMs === 0) return null;
  let stopped = false;
  let current: Promise<void> | null = null;
  let lastProblem = "";

  const pass = async () => {
    try {
      const result = await runNotificationTick(getAuditPoolOrThrow(), {
        items: await currentItems(),
        now: new Date(),
        env: process.env,
      });
      const problem = "skipped" in result ? "the stored Settings → Notifications value is not valid" : "";
      if (problem && problem !== lastProblem) logger.warn({ problem }, "notifications: nothing sent");
      lastProblem = problem;
      if (!("skipped" in result) && (result.delivered.sent > 0 || result.delivered.failed > 0))
        logger.info(
          {
            sent: result.delivered.sent,
            failed: result.delivered.failed,
            opened: result.enqueued.opened.length,
          },
          "notifications: delivery pass",
        );
    } catch (error) {
      const message = (error instanceof Error ? error.message.split("\n")[0] : String(error)) ?? "";
      // Said once, not every minute.
      if (message !== lastProblem) logger.warn({ problem: message }, "notifications: pass failed");
      lastProblem = message;
    }
  };
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    current ??= pass().finally(() => (current = null));
    return current;
  };

  // The first pass waits a little: the inventory and the controllers' keys are read at start.
  const first = setTimeout(() => void run(), Math.min(intervalMs, 15_000));
  first.unref();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  const handle: NotificationScheduler = {
    async runNow() {
      await current;
      await run();
    },
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
  globalForScheduler.sealdeckNotificationScheduler = handle;
  return handle;
}

/** The process's scheduler, if started (the "Send a test" action delivers through it at once). */
export function getNotificationScheduler(): NotificationScheduler | null {
  return globalForScheduler.sealdeckNotificationScheduler ?? null;
}

export function stopNotificationScheduler(): void {
  globalForScheduler.sealdeckNotificationScheduler?.stop();
  delete globalForScheduler.sealdeckNotificationScheduler;
}
