import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  REENCRYPTION_ANNOTATION,
  REENCRYPTION_TRAILER,
  SEALED_WITH_ANNOTATION,
  formatReencryptionMarker,
} from "@/lib/sealing";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { gitopsRepositorySchema, type GitopsRepository } from "@/lib/validations/gitops";
import { backfillGitHistory, type BackfillGitHistoryOptions } from "./backfill-git-history";
import { ciphertextHash } from "./parse-git-manifest-keys";
import { readGitKeyChanges, type GitKeyChange } from "./read-git-key-changes";
import { createHistoryFixture, sealedSecretYaml, type HistoryFixture } from "./testing/git-history-fixture";

const D1 = "2025-01-10T09:00:00.000Z";
const D2 = "2025-02-15T10:30:00.000Z";
const D3 = "2025-03-20T11:00:00.000Z";
const D4 = "2025-04-01T12:00:00.000Z";
const D5 = "2025-05-05T13:00:00.000Z";
const D6 = "2025-06-01T14:00:00.000Z";

const configMap =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n";

/** Builds the same four commits in a repository: two cluster folders, a one-key change, a multi-document file. */
async function seedHistory(fixture: HistoryFixture) {
  const c1 = await fixture.commit(D1, "Alice", {
    "README.md": "# estate\n",
    "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", {
      password: "AgA1",
      username: "AgU1",
    }),
    "sandbox-2/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", { password: "AgW1" }),
  });
  // Only the password changes (the file is rewritten whole, username keeps its ciphertext).
  const c2 = await fixture.commit(D2, "Bob", {
    "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", {
      username: "AgU1",
      password: "AgA2",
    }),
  });
  const c3 = await fixture.commit(D3, "Carol", {
    "sandbox/shop/secrets.yaml": [
      sealedSecretYaml("shop", "api", { token: "AgT1" }),
      configMap,
      sealedSecretYaml("shop", "cache", { pass: "AgP1" }, { templateOnly: true }),
    ].join("---\n"),
  });
  const c4 = await fixture.commit(D4, "Dave", {
    "sandbox/shop/secrets.yaml": [
      sealedSecretYaml("shop", "api", { token: "AgT1" }),
      configMap,
      sealedSecretYaml("shop", "cache", { pass: "AgP2" }, { templateOnly: true }),
    ].join("---\n"),
    "README.md": "# estate, changed\n",
  });
  return { c1, c2, c3, c4 };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pick = (changes: GitKeyChange[]) =>
  changes
    .map((c) => ({
      cluster: c.cluster,
      secret: `${c.namespace}/${c.name}#${c.key}`,
      at: c.committedAt,
      author: c.author,
      commit: c.commit,
      path: c.path,
    }))
    .sort((a, b) => cmp(a.cluster ?? "", b.cluster ?? "") || cmp(a.secret, b.secret));

describe("backfillGitHistory", () => {
  const { prisma } = setupMigratedDatabase();
  let fixture: HistoryFixture;
  let repository: GitopsRepository;
  let commits: Awaited<ReturnType<typeof seedHistory>>;
  const pass = (options: BackfillGitHistoryOptions = {}) =>
    backfillGitHistory({ db: prisma, repositories: [repository], ...options });
  const read = async () => pick(await readGitKeyChanges({ db: prisma, repositories: [repository] }));

  beforeAll(async () => {
    fixture = await createHistoryFixture();
    commits = await seedHistory(fixture);
    repository = gitopsRepositorySchema.parse({ id: "estate", provider: "plain-git", remote: fixture.dir });
  });
  afterAll(() => fixture.cleanup());

  it("reads the whole history on first sight and dates each key by the last commit that changed it", async () => {
    const [stats] = await pass();
    expect(stats).toMatchObject({
      repository: "estate",
      branch: "main",
      status: "updated",
      fromScratch: true,
      commitsRead: 4,
      remaining: 0,
      cursor: commits.c4,
      head: commits.c4,
    });
    const { c1, c2, c3, c4 } = commits;
    expect(await read()).toEqual([
      {
        cluster: "sandbox",
        secret: "payments/db#password",
        at: D2,
        author: "Bob",
        commit: c2,
        path: "sandbox/payments/db.sealedsecret.yaml",
      },
      {
        cluster: "sandbox",
        secret: "payments/db#username",
        at: D1,
        author: "Alice",
        commit: c1,
        path: "sandbox/payments/db.sealedsecret.yaml",
      },
      {
        cluster: "sandbox",
        secret: "shop/api#token",
        at: D3,
        author: "Carol",
        commit: c3,
        path: "sandbox/shop/secrets.yaml",
      },
      {
        cluster: "sandbox",
        secret: "shop/cache#pass",
        at: D4,
        author: "Dave",
        commit: c4,
        path: "sandbox/shop/secrets.yaml",
      },
      {
        cluster: "sandbox-2",
        secret: "payments/db#password",
        at: D1,
        author: "Alice",
        commit: c1,
        path: "sandbox-2/payments/db.sealedsecret.yaml",
      },
    ]);
  });

  it("reads only the new commits next time; a renamed file keeps its keys' dates", async () => {
    const c5 = await fixture.commit(D5, "Erin", {
      "sandbox-2/payments/db.sealedsecret.yaml": null,
      "sandbox-2/payments/database.yaml": sealedSecretYaml("payments", "db", { password: "AgW1" }),
      "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", { username: "AgU1" }),
    });
    const [stats] = await pass();
    expect(stats).toMatchObject({
      status: "updated",
      fromScratch: false,
      commitsRead: 1,
      keysChanged: 0,
      keysRemoved: 2,
      cursor: c5,
    });
    const rows = await read();
    expect(rows.find((r) => r.cluster === "sandbox-2")).toMatchObject({
      secret: "payments/db#password",
      at: D1,
      commit: commits.c1,
      path: "sandbox-2/payments/database.yaml",
    });
    // A key taken out of the manifest is no longer reported.
    expect(rows.map((r) => `${r.cluster}:${r.secret}`)).not.toContain("sandbox:payments/db#password");

    const [again] = await pass();
    expect(again).toMatchObject({ status: "up-to-date", commitsRead: 0, cursor: c5 });
    const cursor = await prisma.gitHistoryCursor.findUniqueOrThrow({
      where: { repository_branch: { repository: "estate", branch: "main" } },
    });
    expect(cursor).toMatchObject({ lastCommit: c5, headCommit: c5, commitsRead: 5 });
  });

  it("starts again from scratch when the stored cursor was force-pushed away", async () => {
    await fixture.git("reset", "--quiet", "--hard", commits.c3);
    const c4b = await fixture.commit(D6, "Frank", {
      "sandbox/shop/secrets.yaml": [
        sealedSecretYaml("shop", "api", { token: "AgT2" }),
        configMap,
        sealedSecretYaml("shop", "cache", { pass: "AgP1" }, { templateOnly: true }),
      ].join("---\n"),
    });
    const [stats] = await pass();
    expect(stats).toMatchObject({ status: "updated", fromScratch: true, commitsRead: 4, cursor: c4b });
    const rows = await read();
    expect(rows.filter((r) => r.secret.startsWith("shop/"))).toEqual([
      expect.objectContaining({ secret: "shop/api#token", at: D6, author: "Frank", commit: c4b }),
      expect.objectContaining({ secret: "shop/cache#pass", at: D3, author: "Carol", commit: commits.c3 }),
    ]);
    // c5 is gone from the branch: the sandbox-2 file is back at its old path, the password back in.
    expect(rows.find((r) => r.cluster === "sandbox-2")?.path).toBe("sandbox-2/payments/db.sealedsecret.yaml");
    expect(rows.find((r) => r.secret === "payments/db#password" && r.cluster === "sandbox")?.at).toBe(D2);
  });
});

describe("backfillGitHistory bounds, merges and remote clones", () => {
  const { prisma } = setupMigratedDatabase();
  let fixture: HistoryFixture;
  let cacheRoot: string;
  let commits: Awaited<ReturnType<typeof seedHistory>>;
  const repositoryNamed = (id: string, remote: string) =>
    gitopsRepositorySchema.parse({ id, provider: "plain-git", remote });

  beforeAll(async () => {
    fixture = await createHistoryFixture();
    commits = await seedHistory(fixture);
    cacheRoot = await mkdtemp(path.join(tmpdir(), "sealdeck-git-history-cache-"));
  });
  afterAll(async () => {
    await fixture.cleanup();
    await rm(cacheRoot, { recursive: true, force: true });
  });

  it("reads at most maxCommits per pass, oldest first, and the passes add up to the full result", async () => {
    const bounded = repositoryNamed("bounded", fixture.dir);
    const full = repositoryNamed("full", fixture.dir);
    const run = (repository: GitopsRepository, maxCommits?: number) =>
      backfillGitHistory({ db: prisma, repositories: [repository], maxCommits });
    expect(await run(bounded, 3)).toMatchObject([{ commitsRead: 3, remaining: 1, cursor: commits.c3 }]);
    // After three commits the cache's second pass has not been seen yet.
    const partial = await readGitKeyChanges({ db: prisma, repositories: [bounded] });
    expect(partial.find((c) => c.name === "cache")).toMatchObject({ committedAt: D3 });
    expect(await run(bounded, 3)).toMatchObject([
      { fromScratch: false, commitsRead: 1, remaining: 0, cursor: commits.c4 },
    ]);
    await run(full);
    expect(pick(await readGitKeyChanges({ db: prisma, repositories: [bounded] }))).toEqual(
      pick(await readGitKeyChanges({ db: prisma, repositories: [full] })),
    );
  });

  it("stops after one commit when the time budget is spent, and goes on from there", async () => {
    const budget = repositoryNamed("budget", fixture.dir);
    const run = () => backfillGitHistory({ db: prisma, repositories: [budget], timeBudgetMs: 0 });
    expect(await run()).toMatchObject([{ commitsRead: 1, remaining: 3, cursor: commits.c1 }]);
    expect(await run()).toMatchObject([{ commitsRead: 1, remaining: 2, cursor: commits.c2 }]);
  });

  it("dates a change merged from another branch by the branch's commit that made it", async () => {
    const merged = await createHistoryFixture();
    try {
      await merged.commit(D1, "Alice", {
        "prod/ops/vault.sealedsecret.yaml": sealedSecretYaml("ops", "vault", {
          root: "AgR1",
          unseal: "AgS1",
        }),
      });
      await merged.git("checkout", "--quiet", "-b", "rotate");
      const rotated = await merged.commit(D2, "Bob", {
        "prod/ops/vault.sealedsecret.yaml": sealedSecretYaml("ops", "vault", {
          root: "AgR2",
          unseal: "AgS1",
        }),
      });
      await merged.git("checkout", "--quiet", "main");
      await merged.commit(D3, "Carol", { "notes.txt": "unrelated\n" });
      await merged.git(
        "-c",
        "user.name=Dave",
        "-c",
        "user.email=dave@example.test",
        "merge",
        "--quiet",
        "--no-ff",
        "--no-edit",
        "rotate",
      );
      const repository = repositoryNamed("merged", merged.dir);
      expect(await backfillGitHistory({ db: prisma, repositories: [repository] })).toMatchObject([
        { status: "updated", commitsRead: 3 },
      ]);
      const changes = pick(await readGitKeyChanges({ db: prisma, repositories: [repository] }));
      expect(changes).toMatchObject([
        { cluster: "prod", secret: "ops/vault#root", commit: rotated, at: D2, author: "Bob" },
        { cluster: "prod", secret: "ops/vault#unseal", at: D1, author: "Alice" },
      ]);
    } finally {
      await merged.cleanup();
    }
  });

  it("does not count a re-encryption commit (trailer and marker) as a rotation of the keys it re-encrypted", async () => {
    const K1 = "1".repeat(64);
    const K2 = "2".repeat(64);
    const file = "prod/ops/vault.sealedsecret.yaml";
    const estate = await createHistoryFixture();
    try {
      const c1 = await estate.commit(D1, "Alice", {
        [file]: sealedSecretYaml(
          "ops",
          "vault",
          { api: "AgA1", root: "AgR1", unseal: "AgS1" },
          { annotations: { [SEALED_WITH_ANNOTATION]: K1 } },
        ),
      });
      // What Sealdeck's re-encryption commits on its branch: new ciphertexts, the marker listing them
      // and the trailer. `api` is changed too but not listed: it counts as a change.
      await estate.git("checkout", "--quiet", "-b", "sealdeck/reencrypt/prod");
      const reencrypted = { root: "AgR2", unseal: "AgS2" };
      const marker = formatReencryptionMarker({
        from: K1,
        to: K2,
        sha256: { root: ciphertextHash("AgR2"), unseal: ciphertextHash("AgS2") },
      });
      const annotations = { [SEALED_WITH_ANNOTATION]: K2, [REENCRYPTION_ANNOTATION]: marker };
      const reencryption = await estate.commit(
        D2,
        "Sealdeck",
        { [file]: sealedSecretYaml("ops", "vault", { api: "AgA2", ...reencrypted }, { annotations }) },
        `Re-encrypt 1 SealedSecret on prod with the newest sealing key\n\n${REENCRYPTION_TRAILER}: prod ${K2}\n`,
      );
      await estate.git("checkout", "--quiet", "main");
      await estate.git(
        "-c",
        "user.name=Dave",
        "-c",
        "user.email=dave@example.test",
        "merge",
        "--quiet",
        "--no-ff",
        "--no-edit",
        "sealdeck/reencrypt/prod",
      );
      const repository = repositoryNamed("reencrypted", estate.dir);
      const read = async () => pick(await readGitKeyChanges({ db: prisma, repositories: [repository] }));
      expect(await backfillGitHistory({ db: prisma, repositories: [repository] })).toMatchObject([
        { status: "updated", commitsRead: 2 },
      ]);
      expect(await read()).toMatchObject([
        { secret: "ops/vault#api", commit: reencryption, at: D2 },
        { secret: "ops/vault#root", commit: c1, at: D1, author: "Alice" },
        { secret: "ops/vault#unseal", commit: c1, at: D1, author: "Alice" },
      ]);

      // A later real rotation of `root` (the marker stays in the file, as a seal leaves it): a change;
      // `unseal` keeps its re-encrypted ciphertext and its date.
      const rotation = await estate.commit(D4, "Erin", {
        [file]: sealedSecretYaml(
          "ops",
          "vault",
          { api: "AgA2", root: "AgR3", unseal: "AgS2" },
          { annotations },
        ),
      });
      expect(await backfillGitHistory({ db: prisma, repositories: [repository] })).toMatchObject([
        { status: "updated", fromScratch: false, commitsRead: 1 },
      ]);
      expect(await read()).toMatchObject([
        { secret: "ops/vault#api", commit: reencryption, at: D2 },
        { secret: "ops/vault#root", commit: rotation, at: D4, author: "Erin" },
        { secret: "ops/vault#unseal", commit: c1, at: D1, author: "Alice" },
      ]);
    } finally {
      await estate.cleanup();
    }
  });

  it("counts a marker without the re-encryption trailer as a change (a hand-made commit proves nothing)", async () => {
    const K2 = "2".repeat(64);
    const file = "prod/ops/cache.sealedsecret.yaml";
    const estate = await createHistoryFixture();
    try {
      await estate.commit(D1, "Alice", { [file]: sealedSecretYaml("ops", "cache", { pass: "AgP1" }) });
      const annotations = {
        [SEALED_WITH_ANNOTATION]: K2,
        [REENCRYPTION_ANNOTATION]: formatReencryptionMarker({
          from: null,
          to: K2,
          sha256: { pass: ciphertextHash("AgP2") },
        }),
      };
      const copied = await estate.commit(D2, "Bob", {
        [file]: sealedSecretYaml("ops", "cache", { pass: "AgP2" }, { annotations }),
      });
      const repository = repositoryNamed("no-trailer", estate.dir);
      await backfillGitHistory({ db: prisma, repositories: [repository] });
      expect(pick(await readGitKeyChanges({ db: prisma, repositories: [repository] }))).toMatchObject([
        { secret: "ops/cache#pass", commit: copied, at: D2, author: "Bob" },
      ]);
    } finally {
      await estate.cleanup();
    }
  });

  it("keeps the dates of a whole history merged in with --allow-unrelated-histories", async () => {
    const estate = await createHistoryFixture();
    try {
      await estate.commit(D5, "Owner", { "README.md": "# existing repository\n" });
      await estate.git("checkout", "--quiet", "--orphan", "demo");
      await estate.git("rm", "--quiet", "-r", "--cached", ".");
      await estate.git("clean", "--quiet", "-fdx");
      const first = await estate.commit(D1, "Alice", {
        "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", {
          password: "AgA1",
          user: "AgU1",
        }),
      });
      const second = await estate.commit(D2, "Bob", {
        "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", {
          password: "AgA2",
          user: "AgU1",
        }),
      });
      await estate.git("checkout", "--quiet", "main");
      await estate.git(
        "-c",
        "user.name=Seeder",
        "-c",
        "user.email=seed@example.test",
        "merge",
        "--quiet",
        "--allow-unrelated-histories",
        "--no-edit",
        "demo",
      );
      const repository = repositoryNamed("unrelated", estate.dir);
      await backfillGitHistory({ db: prisma, repositories: [repository] });
      expect(pick(await readGitKeyChanges({ db: prisma, repositories: [repository] }))).toMatchObject([
        { secret: "payments/db#password", commit: second, at: D2, author: "Bob" },
        { secret: "payments/db#user", commit: first, at: D1, author: "Alice" },
      ]);
    } finally {
      await estate.cleanup();
    }
  });

  it("fetches a remote repository into a clone of its own and reads the same dates", async () => {
    const remote = repositoryNamed("remote", `file://${fixture.dir}`);
    const local = repositoryNamed("local", fixture.dir);
    await backfillGitHistory({ db: prisma, repositories: [local] });
    expect(await backfillGitHistory({ db: prisma, repositories: [remote], cacheRoot })).toMatchObject([
      { status: "updated", commitsRead: 4, cursor: commits.c4 },
    ]);
    expect(pick(await readGitKeyChanges({ db: prisma, repositories: [remote] }))).toEqual(
      pick(await readGitKeyChanges({ db: prisma, repositories: [local] })),
    );
    // Without a fetch the clone is read as it was: a new commit upstream is not seen yet.
    const c5 = await fixture.commit(D5, "Erin", {
      "sandbox/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", {
        username: "AgU2",
        password: "AgA2",
      }),
    });
    expect(
      await backfillGitHistory({ db: prisma, repositories: [remote], cacheRoot, fetch: false }),
    ).toMatchObject([{ status: "up-to-date", commitsRead: 0 }]);
    expect(await backfillGitHistory({ db: prisma, repositories: [remote], cacheRoot })).toMatchObject([
      { status: "updated", commitsRead: 1, keysChanged: 1, cursor: c5 },
    ]);
  });

  it("reports a repository it cannot read instead of failing the pass", async () => {
    const missing = repositoryNamed("missing", path.join(cacheRoot, "nowhere"));
    const results = await backfillGitHistory({
      db: prisma,
      repositories: [missing, repositoryNamed("empty-ok", fixture.dir)],
    });
    expect(results).toMatchObject([
      { repository: "missing", status: "skipped", reason: expect.stringContaining("does not exist") },
      { repository: "empty-ok", status: "updated" },
    ]);
  });
});

describe("backfillGitHistory with two replicas", () => {
  const { prisma, url } = setupMigratedDatabase();
  let fixture: HistoryFixture;

  beforeAll(async () => {
    fixture = await createHistoryFixture();
    await seedHistory(fixture);
  });
  afterAll(() => fixture.cleanup());

  it("lets one replica read a repository while the other holds its lock", async () => {
    const repository = gitopsRepositorySchema.parse({
      id: "locked",
      provider: "plain-git",
      remote: fixture.dir,
    });
    const { createPrismaClient } = await import("@/lib/db/prisma");
    const other = createPrismaClient(url);
    try {
      // The other replica is mid-pass: it holds the repository's transaction lock.
      const results = await other.$transaction(async (tx) => {
        const { createHash } = await import("node:crypto");
        const digest = createHash("sha256").update("sealdeck.git-history\0locked\0main").digest();
        await tx.$executeRawUnsafe(
          "SELECT pg_advisory_xact_lock($1::bigint)",
          BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString(),
        );
        return backfillGitHistory({ db: prisma, repositories: [repository] });
      });
      expect(results).toMatchObject([{ status: "busy", commitsRead: 0 }]);
      expect(await prisma.gitKeyChange.count()).toBe(0);
      expect(await backfillGitHistory({ db: prisma, repositories: [repository] })).toMatchObject([
        { status: "updated", commitsRead: 4 },
      ]);
    } finally {
      await other.$disconnect();
    }
  });
});
