import "server-only";
import { z } from "zod";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { logger } from "@/lib/log/logger";
import type { ControllerMemory } from "./evaluate-controller-warnings";

export const memorySchema = z.object({
  acknowledgedFingerprint: z.string().nullable(),
  acknowledgedKeys: z.array(z.string()),
  seenPublicKeys: z.array(z.string()),
});

export const settingKey = (cluster: string) => `kube.sealing-controller.${cluster}`;

// Without a database (tests of lib/kube alone, or Postgres down) the memory lives for the process:
// warnings still work within a run, they just start from a fresh baseline next time.
const fallback = new Map<string, ControllerMemory>();

export async function loadControllerMemory(cluster: string): Promise<ControllerMemory | null> {
  try {
    const row = await getPrismaOrThrow().setting.findUnique({ where: { key: settingKey(cluster) } });
    const parsed = memorySchema.safeParse(row?.value);
    return parsed.success ? parsed.data : (fallback.get(cluster) ?? null);
  } catch (error) {
    logger.debug({ err: error, cluster }, "controller memory: database unavailable, using process memory");
    return fallback.get(cluster) ?? null;
  }
}

/**
 * What a controller refresh learnt, merged into what is stored. A refresh only ever adds (a baseline at
 * first sighting, a fingerprint where none was set, public keys seen), while a security lead's
 * acknowledgement (lib/settings/actions/acknowledge-key-backup.ts) may land between the refresh's read and
 * its write, in this replica or another: the merge keeps it rather than writing the refresh's older copy.
 */
export function mergeControllerMemory(
  stored: ControllerMemory | null,
  learnt: ControllerMemory,
): ControllerMemory {
  if (!stored) return learnt;
  return {
    acknowledgedFingerprint: stored.acknowledgedFingerprint ?? learnt.acknowledgedFingerprint,
    acknowledgedKeys: [...new Set([...stored.acknowledgedKeys, ...learnt.acknowledgedKeys])],
    seenPublicKeys: [...new Set([...stored.seenPublicKeys, ...learnt.seenPublicKeys])],
  };
}

export async function saveControllerMemory(cluster: string, memory: ControllerMemory): Promise<void> {
  fallback.set(cluster, mergeControllerMemory(fallback.get(cluster) ?? null, memory));
  const key = settingKey(cluster);
  try {
    await getPrismaOrThrow().$transaction(async (tx) => {
      // The row stays locked until the merged value is written: an acknowledgement waits, then wins.
      const rows = await tx.$queryRaw<{ value: unknown }[]>`
        SELECT value FROM settings WHERE key = ${key} FOR UPDATE`;
      const stored = memorySchema.safeParse(rows[0]?.value);
      const value = mergeControllerMemory(stored.success ? stored.data : null, memory);
      await tx.setting.upsert({
        where: { key },
        create: { key, value, updatedBy: "sealdeck" },
        update: { value, updatedBy: "sealdeck" },
      });
    });
  } catch (error) {
    logger.debug({ err: error, cluster }, "controller memory: could not persist");
  }
}
