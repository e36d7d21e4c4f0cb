import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "@/lib/gitops/run-git";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import { backfillGitHistory } from "./backfill-git-history";
import { readGitKeyChanges } from "./read-git-key-changes";
import { createHistoryFixture, sealedSecretYaml, type HistoryFixture } from "./testing/git-history-fixture";
import { startGitHttpDouble, type GitHttpDouble } from "./testing/git-http-double";

const TOKEN = "glpat-history-test-0123456789";

// A hosted repository without a local clone: fetched over HTTPS-style smart HTTP with the token as Basic
// credentials in git's environment, never in a URL, argv, the clone's config or a message.
describe("backfillGitHistory on a hosted repository", () => {
  const { prisma } = setupMigratedDatabase();
  let fixture: HistoryFixture;
  let host: GitHttpDouble;
  let root: string;
  let cacheRoot: string;
  let head: string;

  beforeAll(async () => {
    fixture = await createHistoryFixture();
    head = await fixture.commit("2025-01-10T09:00:00Z", "Alice", {
      "prod/payments/db.sealedsecret.yaml": sealedSecretYaml("payments", "db", { password: "AgA1" }),
    });
    root = await mkdtemp(path.join(tmpdir(), "sealdeck-git-host-"));
    cacheRoot = path.join(root, "cache");
    const bare = path.join(root, "served", "platform", "estate.git");
    const cloned = await runGit(["clone", "--bare", "--quiet", fixture.dir, bare], { cwd: root });
    expect(cloned.code).toBe(0);
    host = await startGitHttpDouble(
      path.join(root, "served"),
      `Basic ${Buffer.from(`oauth2:${TOKEN}`).toString("base64")}`,
    );
  });
  afterAll(async () => {
    await host.close();
    await fixture.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  const hostOf = (url: string) => new URL(url).host;
  const gitlab = (tokenEnv: string) =>
    gitopsRepositorySchema.parse({
      id: "hosted",
      provider: "gitlab",
      baseUrl: host.url,
      repository: "platform/estate",
      auth: { type: "token", tokenEnv },
    });

  it("fetches with the token and links each change to its commit page", async () => {
    const results = await backfillGitHistory({
      db: prisma,
      repositories: [gitlab("SEALDECK_GIT_GL_TOKEN")],
      cacheRoot,
      env: { SEALDECK_GIT_GL_TOKEN: TOKEN, SEALDECK_GIT_ALLOWED_HOSTS: hostOf(host.url) },
    });
    expect(results).toMatchObject([{ status: "updated", commitsRead: 1, cursor: head }]);
    expect(host.authorizations.length).toBeGreaterThan(0);
    expect(new Set(host.authorizations)).toEqual(
      new Set([`Basic ${Buffer.from(`oauth2:${TOKEN}`).toString("base64")}`]),
    );
    expect(await readGitKeyChanges({ db: prisma, repositories: [gitlab("SEALDECK_GIT_GL_TOKEN")] })).toEqual([
      expect.objectContaining({
        cluster: "prod",
        key: "password",
        committedAt: "2025-01-10T09:00:00.000Z",
        url: `${host.url}/platform/estate/-/commit/${head}`,
      }),
    ]);
    const [clone = ""] = await readdir(cacheRoot);
    expect(await readFile(path.join(cacheRoot, clone, "config"), "utf8")).not.toContain(TOKEN);
  });

  it("says which variable is missing, and a refused fetch without the token in the reason", async () => {
    expect(
      await backfillGitHistory({
        db: prisma,
        repositories: [gitlab("SEALDECK_GIT_GL_MISSING")],
        cacheRoot,
        env: { SEALDECK_GIT_ALLOWED_HOSTS: hostOf(host.url) },
      }),
    ).toMatchObject([
      {
        status: "skipped",
        reason: expect.stringContaining("set the environment variable SEALDECK_GIT_GL_MISSING"),
      },
    ]);
    const refused = await backfillGitHistory({
      db: prisma,
      repositories: [gitlab("SEALDECK_GIT_GL_WRONG")],
      cacheRoot,
      env: { SEALDECK_GIT_GL_WRONG: "wrong-token-value", SEALDECK_GIT_ALLOWED_HOSTS: hostOf(host.url) },
    });
    expect(refused).toMatchObject([{ status: "skipped", reason: expect.stringMatching(/^fetch failed/) }]);
    expect(refused[0]?.reason).toContain("could not read Username");
    const text = JSON.stringify(refused);
    expect(text).not.toContain("wrong-token-value");
    expect(text).not.toContain(Buffer.from("oauth2:wrong-token-value").toString("base64"));
  });

  it("sends no token to a host the operator has not allowed, nor from a variable outside SEALDECK_GIT_", async () => {
    const before = host.authorizations.length;
    const unlisted = await backfillGitHistory({
      db: prisma,
      repositories: [gitlab("SEALDECK_GIT_GL_TOKEN")],
      cacheRoot,
      env: { SEALDECK_GIT_GL_TOKEN: TOKEN, SEALDECK_GIT_ALLOWED_HOSTS: "git.example.com" },
    });
    expect(unlisted).toMatchObject([
      { status: "skipped", reason: expect.stringContaining("not in SEALDECK_GIT_ALLOWED_HOSTS") },
    ]);
    // A row stored before the SEALDECK_GIT_ rule: the schema refuses it now, so build it by hand.
    const legacy = {
      ...gitlab("SEALDECK_GIT_GL_TOKEN"),
      auth: { type: "token" as const, tokenEnv: "NEXTAUTH_SECRET" },
    };
    const refused = await backfillGitHistory({
      db: prisma,
      repositories: [legacy],
      cacheRoot,
      env: { NEXTAUTH_SECRET: TOKEN, SEALDECK_GIT_ALLOWED_HOSTS: hostOf(host.url) },
    });
    expect(refused).toMatchObject([
      { status: "skipped", reason: expect.stringContaining("NEXTAUTH_SECRET") },
    ]);
    expect(JSON.stringify([unlisted, refused])).not.toContain(TOKEN);
    expect(host.authorizations.length).toBe(before);
  });
});
