import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { readGitHistoryStatus } from "./read-git-history-status";
import { readGitKeyChanges } from "./read-git-key-changes";
import {
  getGitHistoryBackfill,
  startGitHistoryBackfill,
  stopGitHistoryBackfill,
} from "./start-git-history-backfill";
import { createHistoryFixture, sealedSecretYaml, type HistoryFixture } from "./testing/git-history-fixture";

// The environment is read once per process (the logger reads it on import): set the data dir first.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/sealdeck-git-history-data-${process.pid}-${Date.now()}`;
  process.env.SEALDECK_DATA_DIR = dir;
  return dir;
});

// The app's starter, on the default repository (<data dir>/gitops, plain git, as the sandbox uses it).
describe("startGitHistoryBackfill", () => {
  setupMigratedDatabase({ appClient: true });
  let fixture: HistoryFixture;

  beforeAll(async () => {
    fixture = await createHistoryFixture(path.join(dataDir, "gitops"));
    await fixture.commit("2025-01-10T09:00:00Z", "Alice", {
      "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", { password: "AgA1" }),
    });
  });
  afterAll(async () => {
    stopGitHistoryBackfill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("backfills the default repository at start and reads a new commit on main when asked", async () => {
    expect(await readGitHistoryStatus()).toEqual([
      expect.objectContaining({ repository: "default", branch: "main", lastCommit: null, caughtUp: false }),
    ]);
    const backfill = startGitHistoryBackfill();
    expect(backfill).not.toBeNull();
    expect(getGitHistoryBackfill()).toBe(backfill);
    await backfill?.runNow();
    expect(await readGitKeyChanges()).toEqual([
      expect.objectContaining({
        cluster: "sandbox",
        namespace: "payments",
        name: "db",
        key: "password",
        committedAt: "2025-01-10T09:00:00.000Z",
        url: null,
      }),
    ]);

    const moved = await fixture.commit("2025-03-01T08:00:00Z", "Bob", {
      "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", { password: "AgA2" }),
    });
    await backfill?.runNow();
    expect(await readGitKeyChanges()).toEqual([
      expect.objectContaining({
        key: "password",
        commit: moved,
        committedAt: "2025-03-01T08:00:00.000Z",
        author: "Bob",
      }),
    ]);
    expect(await readGitHistoryStatus()).toEqual([
      expect.objectContaining({ lastCommit: moved, headCommit: moved, caughtUp: true, commitsRead: 2 }),
    ]);
    stopGitHistoryBackfill();
    expect(getGitHistoryBackfill()).toBeNull();
  });
});
