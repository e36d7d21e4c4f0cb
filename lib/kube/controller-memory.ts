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

export async function saveControllerMemory(cluster: string, memory: ControllerMemory): Promise<void> {
  fallback.set(cluster, memory);
  try {
    await getPrismaOrThrow().setting.upsert({
      where: { key: settingKey(cluster) },
      create: { key: settingKey(cluster), value: memory, updatedBy: "sealdeck" },
      update: { value: memory, updatedBy: "sealdeck" },
    });
  } catch (error) {
    logger.debug({ err: error, cluster }, "controller memory: could not persist");
  }
}
