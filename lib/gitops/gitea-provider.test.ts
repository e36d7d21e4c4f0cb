import { describe, expect, it } from "vitest";

import { addToPullRequest } from "./add-to-pull-request";
import { createGiteaProvider } from "./gitea-provider";
import { readMarker } from "./proposal-marker";
import { proposeChange } from "./propose-change";
import type { GitProvider } from "./provider";
import {
  CAMPAIGN_FILE,
  CAMPAIGN_FILES,
  campaignAddition,
  pushingBeforeCommit,
} from "./testing/campaign-addition";
import { closeAfterEach } from "./testing/close-after-each";
import { commitOnMain } from "./testing/commit-on-main";
import { expectNoHalfMadePullRequest } from "./testing/expect-no-half-made-pull-request";
import { expectProviderErrors } from "./testing/expect-provider-errors";
import { GITEA_REPOSITORY, startGiteaDouble, type GiteaDouble } from "./testing/gitea-double";
import { blobSha } from "./testing/memory-repo";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./testing/rotation-proposal";

const closeLater = closeAfterEach<GiteaDouble>();

async function setup(files: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST }) {
  const double = closeLater(await startGiteaDouble(files));
  const connect = (token: string) =>
    createGiteaProvider({ baseUrl: double.url, repository: GITEA_REPOSITORY, token });
  return { double, provider: connect(double.token), connect };
}

const rotation = (provider: GitProvider, keys: Record<string, string>, reviewers: string[] = []) =>
  rotationProposal(provider, keys, { labels: ["sealed-secrets"], reviewers });

const repoPath = `/api/v1/repos/${GITEA_REPOSITORY}`;

describe("Gitea/Forgejo provider contract (local double of /api/v1)", () => {
  it("adds a re-seal campaign's second secret to the first's pull request: one commit on its branch, retitled", async () => {
    const { double, provider } = await setup(CAMPAIGN_FILES);
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const before = double.requests.length;
    const added = await addToPullRequest(campaignAddition(provider, first.branch, "AgNEWTOKEN=="));

    const requests = double.requests.slice(before);
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      // GET /repos/{owner}/{repo}/pulls/{base}/{head}: the pull request of that branch into main.
      `GET ${repoPath}/pulls/main/${first.branch}`,
      `GET ${repoPath}/contents/${CAMPAIGN_FILE}`,
      `GET ${repoPath}/branches/${first.branch}`,
      `POST ${repoPath}/contents`,
      `PATCH ${repoPath}/pulls/1`,
    ]);
    // The file as it is on the pull request's head, not on main.
    expect(requests[1]?.query.get("ref")).toBe(first.commit);
    // ChangeFiles on the existing branch (no new_branch), quoting the file's blob sha.
    const change = requests[3]?.body as Record<string, unknown> & {
      files: { operation: string; path: string; sha: string; content: string }[];
    };
    expect(change).toMatchObject({
      branch: first.branch,
      author: { name: "Dana Developer", email: "dana@example.test" },
      files: [{ operation: "update", path: CAMPAIGN_FILE, sha: blobSha(CAMPAIGN_FILES[CAMPAIGN_FILE]) }],
    });
    expect(change).not.toHaveProperty("new_branch");
    expect(Buffer.from(change.files[0]?.content ?? "", "base64").toString()).toContain("token: AgNEWTOKEN==");
    expect(double.repo.commits.get(added.commit)?.parents).toEqual([first.commit]);
    const head = double.repo.resolve(first.branch);
    expect(head?.sha).toBe(added.commit);
    expect(head?.files.get(ROTATION_FILE)).toContain("password: AgNEWPASSWORD==");
    expect(head?.files.get(CAMPAIGN_FILE)).toContain("token: AgNEWTOKEN==");

    // PATCH /repos/{owner}/{repo}/pulls/{index} (EditPullRequestOption): title and body only.
    expect(Object.keys(requests[4]?.body as object).sort()).toEqual(["body", "title"]);
    expect(double.pulls).toHaveLength(1);
    const pull = double.pulls[0]!;
    expect(pull.title).toBe("Re-seal 2 sealed secrets payments/db-credentials, payments/api-keys on prod");
    expect(pull.body).toContain(`- \`payments/api-keys\`: \`${CAMPAIGN_FILE}\` (prod): \`token\``);
    expect(readMarker(pull.body)).toMatchObject({
      secret: "payments/db-credentials",
      head: added.commit,
      batch: [{ secret: "payments/api-keys", path: CAMPAIGN_FILE, cluster: "prod", keys: ["token"] }],
    });
    expect(added).toMatchObject({
      pullRequest: { number: 1, state: "open", headSha: added.commit },
      secrets: ["payments/db-credentials", "payments/api-keys"],
      attempts: 1,
    });
  });

  it.each([
    ["merged", { state: "closed", merged: true }],
    ["closed", { state: "closed", merged: false }],
  ] as const)("refuses to add to a pull request %s meanwhile, and writes nothing", async (_, gone) => {
    const { double, provider } = await setup(CAMPAIGN_FILES);
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    Object.assign(double.pulls[0]!, gone);
    const title = double.pulls[0]!.title;
    const before = double.requests.length;
    await expect(
      addToPullRequest(campaignAddition(provider, first.branch, "AgNEWTOKEN==")),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("was merged or closed meanwhile; nothing was added") as unknown,
      details: { reason: "pull-request-gone" },
    });
    expect(double.requests.slice(before).map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET ${repoPath}/pulls/main/${first.branch}`,
    ]);
    expect(double.repo.branches.get(first.branch)).toBe(first.commit);
    expect(double.pulls[0]!.title).toBe(title);
  });

  it("does not add on top of a commit pushed to the pull request's branch in between", async () => {
    const { double, provider } = await setup(CAMPAIGN_FILES);
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    // Someone pushes to the branch after Sealdeck read it, right before its commit.
    const { provider: racing, pushed } = pushingBeforeCommit(provider, () =>
      double.repo.push(first.branch, { "notes.md": "mine\n" }),
    );
    await expect(
      addToPullRequest(campaignAddition(racing, first.branch, "AgNEWTOKEN==", 1)),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("nothing was added") as unknown,
    });
    expect(double.repo.branches.get(first.branch)).toBe(pushed());
    expect(readMarker(double.pulls[0]!.body)?.batch).toBeUndefined();
  });

  it("opens a pull request with Gitea's request shapes and token auth", async () => {
    const { double, provider } = await setup();
    const result = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }, ["alice"]));
    expect(double.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET ${repoPath}/branches/main`,
      `GET ${repoPath}/contents/${ROTATION_FILE}`,
      `POST ${repoPath}/branches`,
      `GET ${repoPath}/branches/sealdeck/payments/db-credentials`,
      `POST ${repoPath}/contents`,
      `GET ${repoPath}/labels`,
      `POST ${repoPath}/pulls`,
      `POST ${repoPath}/pulls/1/requested_reviewers`,
    ]);
    for (const q of double.requests) expect(q.headers.authorization).toBe(`token ${double.token}`);
    const mainHead = double.repo.branches.get("main");
    expect(double.requests[2]?.body).toEqual({
      new_branch_name: "sealdeck/payments/db-credentials",
      old_ref_name: mainHead,
    });
    const change = double.requests[4]?.body as {
      files: { operation: string; path: string; sha: string; content: string }[];
    };
    expect(change).toMatchObject({
      branch: "sealdeck/payments/db-credentials",
      author: { name: "Dana Developer", email: "dana@example.test" },
      files: [{ operation: "update", path: ROTATION_FILE, sha: blobSha(ROTATION_MANIFEST) }],
    });
    expect(Buffer.from(change.files[0]?.content ?? "", "base64").toString()).toContain(
      "password: AgNEWPASSWORD==",
    );
    expect(double.requests[6]?.body).toMatchObject({
      head: "sealdeck/payments/db-credentials",
      base: "main",
      labels: [11],
    });
    expect(double.requests[7]?.body).toEqual({ reviewers: ["alice"], team_reviewers: [] });
    expect(result.pullRequest).toMatchObject({ number: 1, state: "open", headSha: result.commit });
  });

  it("updates the open pull request with a commit on top of its branch (no force-move on Gitea)", async () => {
    const { double, provider } = await setup();
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    double.repo.push("main", { "README.md": "moved\n" });
    const second = await proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }));
    expect(second.created).toBe(false);
    expect(double.pulls).toHaveLength(1);
    expect(double.repo.commits.get(second.commit)?.parents).toEqual([first.commit]);
    const file = double.repo.resolve(second.commit)?.files.get(ROTATION_FILE) ?? "";
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgNEWUSERNAME==");
    expect(double.pulls[0]?.title).toContain("(password, username)");
    expect(double.pulls[0]?.body).toContain(`"head":"${second.commit}"`);
    const lookup = double.requests.find((q) => q.path.startsWith(`${repoPath}/pulls/main/`));
    expect(lookup?.path).toBe(`${repoPath}/pulls/main/sealdeck/payments/db-credentials`);
  });

  it("recreates a branch left over from a merged pull request and opens a new one", async () => {
    const { double, provider } = await setup();
    await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    Object.assign(double.pulls[0] ?? {}, { state: "closed", merged: true });
    const mainHead = double.repo.push("main", { "README.md": "merged\n" });
    const second = await proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }));
    expect(second).toMatchObject({ created: true, pullRequest: { number: 2 } });
    expect(double.repo.commits.get(second.commit)?.parents).toEqual([mainHead]);
    expect(
      double.requests.some(
        (q) => q.method === "DELETE" && q.path.endsWith("/branches/sealdeck/payments/db-credentials"),
      ),
    ).toBe(true);
    expect(await provider.getPullRequestState({ number: 1, headBranch: second.branch })).toBe("merged");
  });

  it("closes the PR and deletes the branch when requesting reviewers fails", async () => {
    const { double, provider } = await setup();
    double.failNext("POST", /requested_reviewers$/, {
      status: 422,
      body: { message: "reviewer does not exist" },
    });
    await expectNoHalfMadePullRequest(
      double,
      proposeChange(rotation(provider, { password: "AgNEW==" }, ["ghost"])),
    );
  });

  it("maps Gitea errors to AppError without the token", async () => {
    const { double, provider, connect } = await setup();
    const head = double.repo.branches.get("main") ?? "";
    await expectProviderErrors(connect, double.token, [
      [
        () => {
          double.failNext("POST", /\/branches$/, {
            status: 403,
            body: { message: "user should have a permission to write to the target branch" },
          });
          return provider.createBranch("x", head);
        },
        "forbidden",
        "permission",
      ],
      [
        () => {
          double.failNext("POST", /\/contents$/, {
            status: 403,
            body: { message: "branch main is protected from changes" },
          });
          return commitOnMain(provider, head, [{ path: "x.yaml", content: "x: 1\n", expectedVersion: null }]);
        },
        "forbidden",
        "protected-branch",
      ],
      [
        () =>
          commitOnMain(provider, head, [
            { path: ROTATION_FILE, content: "x: 1\n", expectedVersion: blobSha("stale") },
          ]),
        "conflict",
        "conflict",
      ],
      [
        () => {
          double.failNext("GET", /\/branches\//, {
            status: 429,
            body: { message: "too many requests" },
            headers: { "retry-after": "5" },
          });
          return provider.getBranchHead("main");
        },
        "rate_limited",
        "rate-limit",
      ],
      [() => provider.createBranch("main", head), "conflict", "conflict"],
      [() => provider.getPullRequestState({ number: 9, headBranch: "x" }), "not_found", "not-found"],
    ]);
    expect(await provider.readFile("missing.yaml", "main")).toBeNull();
    expect(await provider.findOpenPullRequest("nope", "main")).toBeNull();
    await provider.deleteBranch("missing");
  });

  it("walks the tree page by page to find manifests", async () => {
    const files: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST };
    for (let i = 0; i < 1500; i++) files[`apps/a${i}/values.yaml`] = "x: 1\n";
    const { double, provider } = await setup(files);
    const found = await provider.findManifestFiles({
      name: "db-credentials",
      namespace: "payments",
      ref: "main",
      limit: 3,
    });
    expect(found[0]).toBe(ROTATION_FILE);
    expect(found).toHaveLength(3);
    expect(double.requests.map((q) => q.query.get("page"))).toEqual(["1", "2"]);
  });
});
