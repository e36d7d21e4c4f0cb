import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { withAuditLogUnavailable } from "@/lib/testing/with-audit-log-unavailable";
import { createPlainGitProvider } from "./plain-git-provider";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import { listProposals } from "./list-proposals";
import { mergeLocalBranch } from "./merge-local-branch";
import { mergeProposal } from "./merge-proposal";
import { refreshProposal } from "./refresh-proposal-states";
import { runGit } from "./run-git";

// The environment is read once per process: the default repository is <data dir>/gitops.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/sealdeck-merge-proposal-${process.pid}-${Date.now()}`;
  process.env.SEALDECK_DATA_DIR = dir;
  return dir;
});
const repo = path.join(dataDir, "gitops");
const client = { ip: "203.0.113.9", userAgent: "vitest" };

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runGit(args, {
    cwd,
    env: {
      GIT_AUTHOR_NAME: "Sealdeck",
      GIT_AUTHOR_EMAIL: "sealdeck@localhost",
      GIT_COMMITTER_NAME: "Sealdeck",
      GIT_COMMITTER_EMAIL: "sealdeck@localhost",
    },
  });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A proposal branch off main changing one file, as propose-change leaves it. */
async function proposeBranch(branch: string, file: string, content: string): Promise<string> {
  await git(repo, "checkout", "--quiet", "-b", branch, "main");
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), content);
  await git(repo, "add", "--all");
  await git(repo, "commit", "--quiet", "-m", `Seal ${file}`);
  await git(repo, "checkout", "--quiet", "main");
  return git(repo, "rev-parse", branch);
}

describe("merging a plain-git proposal in the local repository", () => {
  const db = setupMigratedDatabase({ appClient: true });
  const lead = testPrincipal({
    userId: "00000000-0000-4000-8000-00000000000a",
    username: "lead",
    displayName: "Sam Lead",
    role: "security-lead",
  });

  const record = async (branch: string, headSha: string) =>
    db.prisma.proposal.create({
      data: {
        repository: "default",
        provider: "plain-git",
        number: 0,
        url: `${repo}#${branch}`,
        branch,
        baseBranch: "main",
        headSha,
        state: "open",
        title: `Seal ${branch}`,
        namespace: "payments",
        name: "db",
        clusters: ["sandbox"],
        keys: ["password"],
        requestedByName: "dev",
      },
    });
  const events = async (id: string) =>
    db.query<{ action: string; outcome: string; actor_name: string; details: Record<string, unknown> }>(
      "SELECT action, outcome, actor_name, details FROM audit_events WHERE details->>'branch' = $1 ORDER BY seq",
      [id],
    );

  beforeAll(async () => {
    await db.prisma.user.create({
      data: {
        id: lead.userId,
        username: "lead",
        displayName: "Sam Lead",
        role: "security-lead",
        email: "sam@example.test",
      },
    });
    await mkdir(repo, { recursive: true });
    await git(repo, "init", "--quiet", "--initial-branch=main");
    await writeFile(path.join(repo, "README.md"), "gitops\n");
    await git(repo, "add", "--all");
    await git(repo, "commit", "--quiet", "-m", "start");
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("makes a real merge commit by the signed-in user and records it, audited first", async () => {
    const head = await proposeBranch("sealdeck/a", "sandbox/payments/a.yaml", "a: 1\n");
    const base = await git(repo, "rev-parse", "main");
    const proposal = await record("sealdeck/a", head);

    const result = await mergeProposal(proposal.id, { principal: lead, client });

    expect(result).toMatchObject({ mergedBy: "Sam Lead", base: "main" });
    expect(await git(repo, "rev-parse", "main")).toBe(result.commit);
    expect(await git(repo, "rev-list", "--parents", "-n", "1", result.commit)).toBe(
      `${result.commit} ${base} ${head}`,
    );
    expect(await git(repo, "show", "-s", "--format=%cn <%ce>|%an <%ae>", result.commit)).toBe(
      "Sam Lead <sam@example.test>|Sam Lead <sam@example.test>",
    );
    // The checked-out main follows: the working tree holds the merged file.
    expect(await git(repo, "status", "--porcelain")).toBe("");
    expect(await git(repo, "show", "HEAD:sandbox/payments/a.yaml")).toBe("a: 1");

    expect(await db.prisma.proposal.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({
      state: "merged",
    });
    const written = await events("sealdeck/a");
    expect(written.map((e) => [e.action, e.outcome, e.actor_name])).toEqual([
      ["pull_request.merge.requested", "pending", "lead"],
      ["pull_request.merged", "success", "lead"],
    ]);
    expect(written[1]?.details).toMatchObject({
      via: "sealdeck",
      mergeCommit: result.commit,
      mergedBy: "Sam Lead",
      mergedByEmail: "sam@example.test",
      mergedAt: result.mergedAt,
    });
    await expect(mergeProposal(proposal.id, { principal: lead, client })).rejects.toThrow(/already merged/);
  });

  it("merges a pull request re-seal campaign owners share once, moving every secret's row", async () => {
    const head = await proposeBranch("sealdeck/shared", "sandbox/payments/shared.yaml", "shared: 1\n");
    await record("sealdeck/shared", head);
    const second = await db.prisma.proposal.create({
      data: {
        repository: "default",
        provider: "plain-git",
        number: 0,
        url: `${repo}#sealdeck/shared`,
        branch: "sealdeck/shared",
        baseBranch: "main",
        headSha: head,
        state: "open",
        title: "Re-seal 2 sealed secrets",
        namespace: "billing",
        name: "ledger",
        clusters: ["sandbox"],
        keys: ["token"],
        requestedByName: "owner",
      },
    });
    // The Changes page shows each secret's row as one shared pull request.
    const listed = (await listProposals(db.prisma, lead, { limit: 200, state: "open" })).proposals.filter(
      (p) => p.branch === "sealdeck/shared",
    );
    expect(listed.map((p) => p.sharedBy)).toEqual([2, 2]);

    const result = await mergeProposal(second.id, { principal: lead, client });
    expect(await git(repo, "rev-parse", "main")).toBe(result.commit);
    const rows = await db.prisma.proposal.findMany({ where: { branch: "sealdeck/shared" } });
    expect(rows.map((r) => r.state)).toEqual(["merged", "merged"]);
    const merged = (await events("sealdeck/shared")).filter((e) => e.action === "pull_request.merged");
    expect(merged).toHaveLength(2);
    expect(merged.every((e) => e.details.mergeCommit === result.commit)).toBe(true);
  });

  it("refuses a proposal that conflicts with the base, changing nothing", async () => {
    const head = await proposeBranch("sealdeck/b", "sandbox/payments/b.yaml", "b: proposal\n");
    const proposal = await record("sealdeck/b", head);
    // Someone changed the same file on main meanwhile.
    await writeFile(path.join(repo, "sandbox/payments/b.yaml"), "b: someone else\n");
    await git(repo, "add", "--all");
    await git(repo, "commit", "--quiet", "-m", "direct edit");
    const base = await git(repo, "rev-parse", "main");

    await expect(mergeProposal(proposal.id, { principal: lead, client })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await git(repo, "rev-parse", "main")).toBe(base);
    expect(await git(repo, "status", "--porcelain")).toBe("");
    expect((await db.prisma.proposal.findUniqueOrThrow({ where: { id: proposal.id } })).state).toBe("open");
    expect((await events("sealdeck/b")).map((e) => e.action)).toEqual([
      "pull_request.merge.requested",
      "pull_request.merge_failed",
    ]);
  });

  it("waits for another git process's index lock in the checkout instead of failing", async () => {
    const head = await proposeBranch("sealdeck/lock", "sandbox/payments/lock.yaml", "lock: 1\n");
    const proposal = await record("sealdeck/lock", head);
    // Someone's git holds the checkout's index for a moment, as a person's `git merge` or a script does.
    const lock = path.join(repo, ".git", "index.lock");
    await writeFile(lock, "");
    const released = new Promise((resolve) => setTimeout(resolve, 700)).then(() => rm(lock));

    const result = await mergeProposal(proposal.id, { principal: lead, client });
    await released;
    expect(await git(repo, "rev-parse", "main")).toBe(result.commit);
    expect(await git(repo, "status", "--porcelain")).toBe("");
  });

  it("refuses a branch that moved since it was proposed", async () => {
    const head = await proposeBranch("sealdeck/c", "sandbox/payments/c.yaml", "c: 1\n");
    const proposal = await record("sealdeck/c", "0".repeat(40));
    await expect(mergeProposal(proposal.id, { principal: lead, client })).rejects.toThrow(/moved since/);
    expect(await git(repo, "merge-base", "--is-ancestor", head, "main").catch(() => "not merged")).toBe(
      "not merged",
    );
  });

  it("merges nothing when the audit log cannot be written", async () => {
    const head = await proposeBranch("sealdeck/d", "sandbox/payments/d.yaml", "d: 1\n");
    const proposal = await record("sealdeck/d", head);
    const base = await git(repo, "rev-parse", "main");
    await withAuditLogUnavailable(db, async () => {
      await expect(mergeProposal(proposal.id, { principal: lead, client })).rejects.toMatchObject({
        code: "unavailable",
      });
    });
    expect(await git(repo, "rev-parse", "main")).toBe(base);
  });

  it("refuses a role without proposal:merge, before any audit event or git command", async () => {
    const head = await proposeBranch("sealdeck/e", "sandbox/payments/e.yaml", "e: 1\n");
    const proposal = await record("sealdeck/e", head);
    const developer = testPrincipal({
      userId: lead.userId,
      username: "dev",
      displayName: "Dev",
      role: "developer",
      grants: [{ cluster: "sandbox", namespace: "payments" }],
    });
    await expect(mergeProposal(proposal.id, { principal: developer, client })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await events("sealdeck/e")).length).toBe(0);
  });

  it("the Changes list offers Merge to a user allowed to, and the git commands for a remote", async () => {
    const head = await proposeBranch("sealdeck/h", "sandbox/payments/h.yaml", "h: 1\n");
    await record("sealdeck/h", head);
    const local = gitopsRepositorySchema.parse({ provider: "plain-git", remote: repo });
    const remote = gitopsRepositorySchema.parse({
      provider: "plain-git",
      remote: "https://user:token@git.example.test/deploy.git",
    });
    const auditor = testPrincipal({
      userId: lead.userId,
      username: "aud",
      displayName: "Aud",
      role: "auditor",
    });
    const mergeOf = async (principal: typeof lead, repository: typeof local) =>
      (await listProposals(db.prisma, principal, { limit: 200, state: "open" }, [repository])).proposals.find(
        (p) => p.branch === "sealdeck/h",
      )?.merge;
    expect(await mergeOf(lead, local)).toEqual({ how: "button" });
    expect(await mergeOf(auditor, local)).toBeNull();
    const commands = await mergeOf(auditor, remote);
    expect(commands).toEqual({
      how: "commands",
      remote: "https://git.example.test/deploy.git",
      commands: expect.arrayContaining([
        "git merge --no-ff origin/sealdeck/h",
        "git push origin main",
      ]) as unknown,
    });
  });

  it("a merge made outside Sealdeck is recorded by the poll with its merge commit and who made it", async () => {
    const head = await proposeBranch("sealdeck/f", "sandbox/payments/f.yaml", "f: 1\n");
    const proposal = await record("sealdeck/f", head);
    const merged = await runGit(["merge", "--no-ff", "--quiet", "-m", "Merge sealdeck/f", "sealdeck/f"], {
      cwd: repo,
      env: {
        GIT_COMMITTER_NAME: "Alice Ops",
        GIT_COMMITTER_EMAIL: "alice@example.test",
        GIT_AUTHOR_NAME: "Alice Ops",
        GIT_AUTHOR_EMAIL: "alice@example.test",
      },
    });
    expect(merged.code).toBe(0);
    const mergeCommit = await git(repo, "rev-parse", "main");
    const provider = createPlainGitProvider({ remote: repo, cacheDir: path.join(dataDir, "cache") });
    expect(await refreshProposal(db.prisma, provider, proposal)).toBe("merged");
    const [event] = await events("sealdeck/f");
    expect(event).toMatchObject({
      action: "pull_request.merged",
      actor_name: "Alice Ops",
      details: expect.objectContaining({ via: "poll", mergeCommit, mergedBy: "Alice Ops" }) as unknown,
    });
  });
});

describe("mergeLocalBranch on a bare repository (no checkout)", () => {
  it("writes the merge commit with merge-tree and moves the base only from the head it read", async () => {
    const bare = path.join(dataDir, "bare.git");
    await mkdir(bare, { recursive: true });
    await git(bare, "init", "--quiet", "--bare", "--initial-branch=main");
    const tree = await git(bare, "mktree");
    const base = await git(bare, "commit-tree", tree, "-m", "start");
    const head = await git(bare, "commit-tree", tree, "-p", base, "-m", "empty proposal");
    await git(bare, "update-ref", "refs/heads/main", base);
    await git(bare, "update-ref", "refs/heads/sealdeck/g", head);
    const committer = { name: "Sam Lead", email: "sam@example.test" };

    const merged = await mergeLocalBranch({
      repoDir: bare,
      base: "main",
      branch: "sealdeck/g",
      expectedHead: head,
      committer,
      message: "Merge sealdeck/g",
    });
    expect(await git(bare, "rev-parse", "main")).toBe(merged.sha);
    expect(await git(bare, "rev-list", "--parents", "-n", "1", merged.sha)).toBe(
      `${merged.sha} ${base} ${head}`,
    );
    expect(await git(bare, "show", "-s", "--format=%cn <%ce>", merged.sha)).toBe(
      "Sam Lead <sam@example.test>",
    );
  });
});
