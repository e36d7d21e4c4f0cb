import "server-only";
import { observeValues } from "@/lib/audit/observe-rotations";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { RotationWatcher, type RotationSource } from "./rotation-watcher";

const globalForWatcher = globalThis as unknown as { sealdeckRotationWatcher?: RotationWatcher };

/**
 * Starts the process's rotation watcher over the inventory's clusters (called by getInventory), writing
 * with the app's database. Kept on globalThis like the inventory; a second call replaces the first.
 */
export function startRotationWatcher(sources: readonly RotationSource[]): RotationWatcher {
  stopRotationWatcher();
  const watcher = new RotationWatcher(sources, {
    record: (observations) => observeValues(getPrismaOrThrow(), observations),
  });
  globalForWatcher.sealdeckRotationWatcher = watcher;
  watcher.start();
  return watcher;
}

export function stopRotationWatcher(): void {
  globalForWatcher.sealdeckRotationWatcher?.stop();
  delete globalForWatcher.sealdeckRotationWatcher;
}
