import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";

import type { ChangeDescription } from "./describe-change";
import { createPlainGitProvider } from "./plain-git-provider";
import { proposeChange, type ProposeChangeInput } from "./propose-change";
import type { GitProvider } from "./provider";
import { providerError } from "./provider-error";
import { readMarker } from "./proposal-marker";
import { runGit } from "./run-git";
import { createGitFixture, fakeSealedSecret, type GitFixture } from "./testing/git-fixture";
import { ROTATION_MANIFEST } from "./testing/rotation-proposal";

const FILE = "prod/payments/sealed-secrets.yaml";
const BRANCH = "sealdeck/payments/db-credentials";

// A hand-written file: a comment, another SealedSecret, and the one we rotate (the providers' rotation
// manifest, with a `type` line after it).
const INITIAL = `# managed by the payments team
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: api-keys
  namespace: payments
spec:
  encryptedData:
    stripe: AgOLDSTRIPE==
  template:
    metadata:
      name: api-keys
      namespace: payments
---
${ROTATION_MANIFEST}    type: Opaque
`;

function change(keys: string[], action: ChangeDescription["action"] = "rotate"): ChangeDescription {
  return {
    secret: { namespace: "payments", name: "db-credentials" },
    action,
    keys,
    clusters: ["prod"],
    scope: "strict",
    certificates: [{ cluster: "prod", fingerprint: "ab".repeat(32) }],
    reason: "quarterly rotation",
    ticket: "SEC-42",
    requestedBy: { name: "Dana Developer", email: "dana@example.test" },
    dashboardUrl: "http://localhost:3000/secrets/prod/payments/db-credentials",
  };
}

let fixture: GitFixture;
let provider: GitProvider;

beforeEach(async () => {
  fixture = await createGitFixture({ [FILE]: INITIAL, "README.md": "# deploy\n" });
  provider = createPlainGitProvider({ remote: fixture.remote, cacheDir: `${fixture.root}/cache` });
});
afterEach(() => fixture.cleanup());

function input(
  keys: Record<string, string>,
  overrides: Partial<ProposeChangeInput> = {},
): ProposeChangeInput {
  return {
    provider,
    repository: { baseBranch: "main", branchPrefix: "sealdeck", labels: [], reviewers: [] },
    change: change(Object.keys(keys)),
    files: [{ cluster: "prod", path: FILE, manifest: fakeSealedSecret("payments", "db-credentials", keys) }],
    ...overrides,
  };
}

describe("proposeChange with plain git against a real bare repository", () => {
  it("pushes the secret's branch with only the rotated value changed, authored by the requester", async () => {
    const mainBefore = await fixture.head("main");
    const result = await proposeChange(input({ password: "AgNEWPASSWORD==" }));

    expect(result).toMatchObject({ branch: BRANCH, created: true, attempts: 1 });
    expect(await fixture.branches()).toEqual(["main", BRANCH]);
    expect(await fixture.head("main")).toBe(mainBefore);
    const after = await fixture.read(BRANCH, FILE);
    expect(after).toBe(
      INITIAL.replace("AgOLDPASSWORD==", "AgNEWPASSWORD==").replace(
        "  name: db-credentials\n  namespace: payments\nspec:",
        `  annotations:\n    sealdeck.io/sealed-with: ${"ab".repeat(32)}\n  name: db-credentials\n  namespace: payments\nspec:`,
      ),
    );
    const [author] = await fixture.log(BRANCH, "%an <%ae>|%cn");
    expect(author).toBe("Dana Developer <dana@example.test>|Sealdeck");
    expect(result.pullRequest).toMatchObject({ state: "open", headBranch: BRANCH, headSha: result.commit });
    expect(result.pullRequest.title).toBe("Rotate sealed secret payments/db-credentials (password) on prod");
    expect(readMarker(result.pullRequest.body)?.files).toEqual({
      [FILE]: { cluster: "prod", keys: ["password"] },
    });
    expect(await provider.getPullRequestState({ number: 0, headBranch: BRANCH })).toBe("open");
  });

  it("updates the same branch for a second change to the same secret, keeping the first value", async () => {
    const first = await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    const second = await proposeChange(input({ username: "AgNEWUSERNAME==" }));

    expect(second).toMatchObject({ branch: BRANCH, created: false });
    expect(second.commit).not.toBe(first.commit);
    expect(await fixture.branches()).toEqual(["main", BRANCH]);
    const file = await fixture.read(BRANCH, FILE);
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgNEWUSERNAME==");
    expect(file).toContain("stripe: AgOLDSTRIPE==");
    expect(second.pullRequest.title).toContain("(password, username)");
    // Rebuilt on main, not stacked: the branch is one commit ahead of the base.
    expect(await fixture.log(`main..${BRANCH}`)).toHaveLength(1);
  });

  it("rebuilds the proposal on the new base head when main moved, keeping the other edit", async () => {
    await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    const moved = await fixture.push("main", {
      [FILE]: INITIAL.replace("stripe: AgOLDSTRIPE==", "stripe: AgTHEIRSTRIPE=="),
    });
    const second = await proposeChange(input({ username: "AgNEWUSERNAME==" }));

    const [parent] = await fixture.log(BRANCH, "%P");
    expect(parent).toBe(moved);
    const file = await fixture.read(BRANCH, FILE);
    expect(file).toContain("stripe: AgTHEIRSTRIPE==");
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgNEWUSERNAME==");
    // The "merge" of a plain-git proposal is a fast-forward; it works because the branch sits on main.
    await fixture.fastForward("main", BRANCH);
    expect(await provider.getPullRequestState({ number: 0, headBranch: BRANCH })).toBe("merged");
    expect(await provider.findOpenPullRequest(BRANCH, "main")).toBeNull();
    expect(second.created).toBe(false);
  });

  it("starts a new proposal on a branch left over from a merged one", async () => {
    const first = await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    await fixture.fastForward("main", BRANCH);
    const second = await proposeChange(input({ username: "AgNEWUSERNAME==" }));
    expect(second).toMatchObject({ created: true, branch: BRANCH });
    expect(await fixture.log(BRANCH, "%P").then((l) => l[0])).toBe(first.commit);
    expect(readMarker(second.pullRequest.body)?.files[FILE]?.keys).toEqual(["username"]);
  });

  it("refuses to overwrite someone else's commit on the proposal branch", async () => {
    await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    const theirs = (await fixture.read(BRANCH, FILE))!.replace("AgNEWPASSWORD==", "AgHANDEDITED==");
    const theirHead = await fixture.push(BRANCH, { [FILE]: theirs }, "Fix by hand");

    const error = await proposeChange(input({ username: "AgNEWUSERNAME==" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as AppError).message).toContain("commits Sealdeck did not make");
    expect(await fixture.head(BRANCH)).toBe(theirHead);
    expect(await fixture.read(BRANCH, FILE)).toBe(theirs);
  });

  it("loses a race on the branch lease instead of overwriting, then refuses the foreign commit", async () => {
    await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    let raced = "";
    const racing: GitProvider = {
      ...provider,
      async commitFiles(commit) {
        // Someone pushes to the branch between Sealdeck's read and its write.
        raced = await fixture.push(BRANCH, { "notes.txt": "mine\n" }, "Concurrent push");
        return provider.commitFiles(commit);
      },
    };
    const error = await proposeChange(input({ username: "AgNEWUSERNAME==" }, { provider: racing })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "conflict" });
    expect(await fixture.head(BRANCH)).toBe(raced);
  });

  it("retries on the new head after a conflicting write and leaves no orphan branch from the failed try", async () => {
    let calls = 0;
    let movedTo = "";
    const flaky: GitProvider = {
      ...provider,
      async commitFiles(commit) {
        calls++;
        if (calls === 1) {
          movedTo = await fixture.push("main", { "other.yaml": "x: 1\n" });
          throw providerError({
            host: "git",
            operation: "update branch",
            status: 409,
            upstream: "stale info",
          });
        }
        return provider.commitFiles(commit);
      },
    };
    const result = await proposeChange(input({ password: "AgNEWPASSWORD==" }, { provider: flaky }));
    expect(result).toMatchObject({ attempts: 2, created: true });
    expect(await fixture.log(BRANCH, "%P").then((l) => l[0])).toBe(movedTo);
    expect(await fixture.branches()).toEqual(["main", BRANCH]);
  });

  it("gives up after the bounded number of attempts with a clear conflict and no branch left", async () => {
    const always: GitProvider = {
      ...provider,
      commitFiles: () =>
        Promise.reject(
          providerError({ host: "git", operation: "update branch", status: 409, upstream: "stale info" }),
        ),
    };
    const error = await proposeChange(
      input({ password: "AgNEWPASSWORD==" }, { provider: always, maxAttempts: 2 }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as AppError).message).toMatch(/kept changing.*2 attempts.*nothing was overwritten/);
    expect(await fixture.branches()).toEqual(["main"]);
  });

  it("deletes the branch it created when opening the proposal fails", async () => {
    const failing: GitProvider = {
      ...provider,
      openPullRequest: () => Promise.reject(new AppError("forbidden", "no pull requests for you")),
    };
    await expect(
      proposeChange(input({ password: "AgNEWPASSWORD==" }, { provider: failing })),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await fixture.branches()).toEqual(["main"]);
  });

  it("refuses to rotate a secret whose file does not exist, without creating anything", async () => {
    const missing = input({ password: "AgNEWPASSWORD==" });
    const error = await proposeChange({
      ...missing,
      files: [{ ...missing.files[0]!, path: "prod/payments/elsewhere.yaml" }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "not_found" });
    expect(await fixture.branches()).toEqual(["main"]);
  });

  it("creates a new secret as a new file, and appends it to a file holding other secrets", async () => {
    const fresh = fakeSealedSecret("payments", "webhook", { token: "AgNEWTOKEN==" });
    const result = await proposeChange({
      ...input({}),
      change: { ...change(["token"], "create"), secret: { namespace: "payments", name: "webhook" } },
      files: [
        { cluster: "prod", path: FILE, manifest: fresh },
        { cluster: "staging", path: "staging/payments/webhook.yaml", manifest: fresh },
      ],
    });
    expect(result.branch).toBe("sealdeck/payments/webhook");
    const appended = await fixture.read(result.branch, FILE);
    expect(appended?.startsWith(INITIAL)).toBe(true);
    expect(appended).toContain("---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n");
    expect(appended).toContain("token: AgNEWTOKEN==");
    expect(await fixture.read(result.branch, "staging/payments/webhook.yaml")).toContain("name: webhook");
    expect(await fixture.log(result.branch)).toHaveLength(2); // one commit for both files
  });

  it("finds candidate files with git grep and reports closed once the branch is deleted", async () => {
    expect(
      await provider.findManifestFiles({
        name: "db-credentials",
        namespace: "payments",
        ref: "main",
        limit: 10,
      }),
    ).toEqual([FILE]);
    expect(
      await provider.findManifestFiles({
        name: "db-credentials",
        namespace: "payments",
        ref: "main",
        under: "staging",
        limit: 10,
      }),
    ).toEqual([]);
    await proposeChange(input({ password: "AgNEWPASSWORD==" }));
    await provider.deleteBranch(BRANCH);
    await provider.deleteBranch(BRANCH); // already gone: not an error
    expect(await provider.getPullRequestState({ number: 0, headBranch: BRANCH })).toBe("closed");
    expect(await fixture.branches()).toEqual(["main"]);
  });
});

describe("plain git against a non-bare local repository like .data/gitops", () => {
  it("pushes the proposal branch next to the checked-out main, and merging it is a fast-forward", async () => {
    const root = await mkdtemp(`${tmpdir()}/sealdeck-local-gitops-`);
    const repo = `${root}/gitops`;
    const git = async (...args: string[]) => {
      const result = await runGit(
        ["-c", "user.name=Sandbox", "-c", "user.email=sandbox@example.test", ...args],
        {
          cwd: repo,
        },
      );
      if (result.code !== 0) throw new Error(result.stderr);
      return result.stdout.trim();
    };
    try {
      await mkdir(`${repo}/prod/payments`, { recursive: true });
      await git("init", "--quiet", "--initial-branch=main");
      await writeFile(`${repo}/${FILE}`, INITIAL);
      await git("add", "-A");
      await git("commit", "--quiet", "-m", "Start the sandbox GitOps repository");
      const local = createPlainGitProvider({ remote: repo, cacheDir: `${root}/cache` });

      const result = await proposeChange(input({ password: "AgNEWPASSWORD==" }, { provider: local }));
      expect(await git("rev-parse", "main")).not.toBe(result.commit);
      expect(await git("branch", "--list", "--format=%(refname:short)")).toBe(`main\n${BRANCH}`);
      // What a user (or the e2e test) does to "merge" the proposal:
      await git("merge", "--quiet", "--ff-only", BRANCH);
      expect(await git("rev-parse", "HEAD")).toBe(result.commit);
      expect(await readFile(`${repo}/${FILE}`, "utf8")).toContain("password: AgNEWPASSWORD==");
      expect(await local.getPullRequestState({ number: 0, headBranch: BRANCH })).toBe("merged");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("the plain-git cache, shared by every request for the remote", () => {
  it("reads through a fetch that finds the remote-tracking ref locked by another fetch", async () => {
    expect((await provider.readFile("README.md", "main"))?.content).toBe("# deploy\n");
    await fixture.push("main", { "README.md": "# moved\n" }, "Move main");
    // Another request's fetch into the same cache, mid-way: git holds the ref's lock file, and a second
    // fetch fails with "cannot lock ref 'refs/remotes/origin/main'" until the first is done.
    const lock = `${fixture.root}/cache/refs/remotes/origin/main.lock`;
    await writeFile(lock, "");
    // Released after the read's first fetch has met it (a fetch starts within tens of milliseconds), and
    // well before a reader that tries again has given up (1.5 s).
    const released = new Promise<void>((done) =>
      setTimeout(() => void rm(lock, { force: true }).then(() => done()), 500),
    );
    expect((await provider.readFile("README.md", "main"))?.content).toBe("# moved\n");
    await released;
  });
});
