import "server-only";
import type { ExportManifest } from "./export-manifest";

// Exports this process is streaming or has just finished, by export id, so the manifest can be fetched
// the moment the file ends (the finished manifest is also recorded in the audit log: see
// read-export-manifest.ts, which serves it from any replica). Entries live for KEEP_MS, at most MAX.

const KEEP_MS = 30 * 60_000;
const MAX = 200;

type Entry = {
  userId: string;
  startedAt: number;
  manifest?: ExportManifest;
  failed?: string;
  done: Promise<void>;
  settle: () => void;
};

const globalForExports = globalThis as unknown as { sealdeckExports?: Map<string, Entry> };
const entries = () => (globalForExports.sealdeckExports ??= new Map());

function prune(now: number) {
  const map = entries();
  for (const [id, entry] of map) if (now - entry.startedAt > KEEP_MS) map.delete(id);
  while (map.size >= MAX) map.delete(map.keys().next().value!);
}

/** Registers a starting export; false when the id is taken. */
export function registerExport(id: string, userId: string, now = Date.now()): boolean {
  prune(now);
  if (entries().has(id)) return false;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  entries().set(id, { userId, startedAt: now, done, settle });
  return true;
}

export function completeExport(id: string, manifest: ExportManifest): void {
  const entry = entries().get(id);
  if (!entry) return;
  entry.manifest = manifest;
  entry.settle();
}

export function failExport(id: string, reason: string): void {
  const entry = entries().get(id);
  if (!entry) return;
  entry.failed = reason;
  entry.settle();
}

export type ExportLookup =
  | { state: "done"; manifest: ExportManifest }
  | { state: "failed"; reason: string }
  | { state: "running" }
  | { state: "unknown" };

/** This process's export `id` of user `userId`, waiting up to `waitMs` for a running one to end. */
export async function lookupExport(id: string, userId: string, waitMs: number): Promise<ExportLookup> {
  const entry = entries().get(id);
  if (!entry || entry.userId !== userId) return { state: "unknown" };
  if (!entry.manifest && !entry.failed) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([entry.done, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }
  if (entry.manifest) return { state: "done", manifest: entry.manifest };
  if (entry.failed) return { state: "failed", reason: entry.failed };
  return { state: "running" };
}
