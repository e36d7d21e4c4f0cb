import { describe, expect, it } from "vitest";

import { addToPullRequest } from "./add-to-pull-request";
import { createGitLabProvider } from "./gitlab-provider";
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
import { expectProviderErrors } from "./testing/expect-provider-errors";
import { GITLAB_PROJECT, startGitLabDouble, type GitLabDouble } from "./testing/gitlab-double";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./testing/rotation-proposal";

const closeLater = closeAfterEach<GitLabDouble>();

async function setup(files: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST }) {
  const double = closeLater(await startGitLabDouble(files));
  const connect = (token: string) =>
    createGitLabProvider({ baseUrl: double.url, repository: GITLAB_PROJECT, token });
  return { double, provider: connect(double.token), connect };
}

const rotation = (provider: GitProvider, keys: Record<string, string>, reviewers: string[] = []) =>
  rotationProposal(provider, keys, { labels: ["sealed-secrets", "security"], reviewers });

const project = `/api/v4/projects/${GITLAB_PROJECT}`;

describe("GitLab provider contract (local double of the v4 API)", () => {
  it("opens a merge request with GitLab's request shapes and the PRIVATE-TOKEN header", async () => {
    const { double, provider } = await setup();
    const result = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }, ["alice"]));
    const requests = double.requests;
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET ${project}/repository/branches/main`,
      `GET ${project}/repository/files/${ROTATION_FILE}`,
      `POST ${project}/repository/branches`,
      `GET ${project}/repository/branches/sealdeck/payments/db-credentials`,
      `POST ${project}/repository/commits`,
      "GET /api/v4/users",
      `POST ${project}/merge_requests`,
    ]);
    for (const request of requests) expect(request.headers["private-token"]).toBe(double.token);
    const mainHead = double.repo.branches.get("main");
    expect(requests[1]?.query.get("ref")).toBe(mainHead);
    const commit = requests[4]?.body as Record<string, unknown>;
    expect(commit).toMatchObject({
      branch: "sealdeck/payments/db-credentials",
      author_name: "Dana Developer",
      author_email: "dana@example.test",
      actions: [
        {
          action: "update",
          file_path: ROTATION_FILE,
          last_commit_id: double.repo.lastCommitFor("main", ROTATION_FILE),
        },
      ],
    });
    expect(commit).not.toHaveProperty("force");
    expect(String(commit.commit_message)).toMatch(
      /^Rotate sealed secret payments\/db-credentials \(password\) on prod\n/,
    );
    expect(requests[6]?.body).toMatchObject({
      source_branch: "sealdeck/payments/db-credentials",
      target_branch: "main",
      title: "Rotate sealed secret payments/db-credentials (password) on prod",
      labels: "sealed-secrets,security",
      reviewer_ids: [7],
      remove_source_branch: true,
    });
    expect(result.pullRequest).toMatchObject({ number: 1, state: "open", headSha: result.commit });
    const file = double.repo.resolve(result.commit)?.files.get(ROTATION_FILE) ?? "";
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgOLDUSERNAME==");
    expect(await provider.getPullRequestState({ number: 1, headBranch: result.branch })).toBe("open");
  });

  it("updates the open merge request: one commit with start_sha and force on the moved base", async () => {
    const { double, provider } = await setup();
    await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const moved = double.repo.push("main", { "README.md": "moved\n" });
    const before = double.requests.length;
    const second = await proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }));
    expect(second.created).toBe(false);
    expect(double.mergeRequests).toHaveLength(1);
    const commit = double.requests.slice(before).find((q) => q.path.endsWith("/repository/commits"));
    expect(commit?.body).toMatchObject({ start_sha: moved, force: true });
    const put = double.requests.slice(before).find((q) => q.method === "PUT");
    expect(put?.path).toBe(`${project}/merge_requests/1`);
    const file = double.repo.resolve(second.commit)?.files.get(ROTATION_FILE) ?? "";
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgNEWUSERNAME==");
    expect(double.repo.commits.get(second.commit)?.parents).toEqual([moved]);
  });

  it("refuses an edit when the branch changed since it was read (head, then last_commit_id) and deletes the new branch", async () => {
    const { double, provider } = await setup();
    const racing: GitProvider = {
      ...provider,
      async commitFiles(input) {
        double.repo.push(input.branch, { [ROTATION_FILE]: `${ROTATION_MANIFEST}# edited\n` });
        return provider.commitFiles(input);
      },
    };
    const error = await proposeChange({ ...rotation(racing, { password: "AgNEW==" }), maxAttempts: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "conflict" });
    expect([...double.repo.branches.keys()]).toEqual(["main"]);
    expect(double.mergeRequests).toHaveLength(0);
  });

  it("adds a re-seal campaign's second secret to the first's merge request: one commit on its branch, retitled", async () => {
    const { double, provider } = await setup(CAMPAIGN_FILES);
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const before = double.requests.length;
    const added = await addToPullRequest(campaignAddition(provider, first.branch, "AgNEWTOKEN=="));

    const requests = double.requests.slice(before);
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET ${project}/merge_requests`,
      `GET ${project}/repository/files/${CAMPAIGN_FILE}`,
      `GET ${project}/repository/branches/${first.branch}`,
      `POST ${project}/repository/commits`,
      `PUT ${project}/merge_requests/1`,
    ]);
    // The open merge request of that branch into main (GET /projects/:id/merge_requests).
    const find = requests[0]!.query;
    expect([find.get("source_branch"), find.get("target_branch"), find.get("state")]).toEqual([
      first.branch,
      "main",
      "opened",
    ]);
    // The file as it is on the merge request's head, not on main.
    expect(requests[1]?.query.get("ref")).toBe(first.commit);
    // One commit on the existing branch: no start_sha or force (those would rebuild it).
    const commit = requests[3]?.body as Record<string, unknown>;
    expect(commit).toMatchObject({
      branch: first.branch,
      author_name: "Dana Developer",
      author_email: "dana@example.test",
      actions: [
        {
          action: "update",
          file_path: CAMPAIGN_FILE,
          last_commit_id: double.repo.lastCommitFor(first.commit, CAMPAIGN_FILE),
        },
      ],
    });
    expect(commit).not.toHaveProperty("start_sha");
    expect(commit).not.toHaveProperty("force");
    expect(double.repo.commits.get(added.commit)?.parents).toEqual([first.commit]);
    const head = double.repo.resolve(first.branch);
    expect(head?.sha).toBe(added.commit);
    expect(head?.files.get(ROTATION_FILE)).toContain("password: AgNEWPASSWORD==");
    expect(head?.files.get(CAMPAIGN_FILE)).toContain("token: AgNEWTOKEN==");
    expect(double.repo.resolve("main")?.files.get(CAMPAIGN_FILE)).not.toContain("AgNEWTOKEN==");

    // PUT /projects/:id/merge_requests/:iid with the new title and description (GitLab's field name).
    const edit = requests[4]?.body as Record<string, unknown>;
    expect(Object.keys(edit).sort()).toEqual(["description", "title"]);
    expect(double.mergeRequests).toHaveLength(1);
    const mr = double.mergeRequests[0]!;
    expect(mr.title).toBe("Re-seal 2 sealed secrets payments/db-credentials, payments/api-keys on prod");
    expect(mr.description).toContain(`- \`payments/api-keys\`: \`${CAMPAIGN_FILE}\` (prod): \`token\``);
    expect(readMarker(mr.description)).toMatchObject({
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

  it.each(["merged", "closed"] as const)(
    "refuses to add to a merge request %s meanwhile, and writes nothing",
    async (state) => {
      const { double, provider } = await setup(CAMPAIGN_FILES);
      const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
      double.mergeRequests[0]!.state = state;
      const title = double.mergeRequests[0]!.title;
      const before = double.requests.length;
      await expect(
        addToPullRequest(campaignAddition(provider, first.branch, "AgNEWTOKEN==")),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringContaining("was merged or closed meanwhile; nothing was added") as unknown,
        details: { reason: "pull-request-gone" },
      });
      expect(double.requests.slice(before).map((q) => `${q.method} ${q.path}`)).toEqual([
        `GET ${project}/merge_requests`,
      ]);
      expect(double.repo.branches.get(first.branch)).toBe(first.commit);
      expect(double.mergeRequests[0]!.title).toBe(title);
    },
  );

  it("does not add on top of a commit pushed to the merge request's branch in between", async () => {
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
    expect(double.repo.resolve(first.branch)?.files.get(CAMPAIGN_FILE)).not.toContain("AgNEWTOKEN==");
    expect(readMarker(double.mergeRequests[0]!.description)?.batch).toBeUndefined();
  });

  it("maps GitLab errors to AppError without the token", async () => {
    const { double, provider, connect } = await setup();
    const head = double.repo.branches.get("main") ?? "";
    await expectProviderErrors(connect, double.token, [
      [
        () => {
          double.failNext("GET", /repository\/branches/, {
            status: 403,
            body: { message: "403 Forbidden" },
          });
          return provider.getBranchHead("main");
        },
        "forbidden",
        "permission",
      ],
      [
        () => {
          double.failNext("GET", /repository\/branches/, {
            status: 429,
            body: { message: "Retry later" },
            headers: { "retry-after": "60", "ratelimit-remaining": "0" },
          });
          return provider.getBranchHead("main");
        },
        "rate_limited",
        "rate-limit",
      ],
      [
        () => {
          double.failNext("POST", /repository\/commits/, {
            status: 403,
            body: { message: "You are not allowed to push into this branch" },
          });
          return commitOnMain(provider, head, [{ path: "x.yaml", content: "x: 1\n", expectedVersion: null }]);
        },
        "forbidden",
        "protected-branch",
      ],
      [() => provider.createBranch("main", head), "conflict", "conflict"],
      [() => provider.getPullRequestState({ number: 42, headBranch: "x" }), "not_found", "not-found"],
    ]);
    // One request per call: a 429 is reported at once, not retried for minutes (the wrong token, the 403,
    // the 429, and the head check before the protected-branch commit).
    expect(
      double.requests.filter((q) => q.method === "GET" && q.path.endsWith("/branches/main")),
    ).toHaveLength(4);
    expect(await provider.readFile("missing.yaml", "main")).toBeNull();
    expect(await provider.getBranchHead("missing")).toBeNull();
    await provider.deleteBranch("missing");
  });

  it("finds manifests by blob search, falling back to the repository tree", async () => {
    const { double, provider } = await setup();
    const query = { name: "db-credentials", namespace: "payments", ref: "main", limit: 5 };
    expect(await provider.findManifestFiles(query)).toEqual([ROTATION_FILE]);
    const search = double.requests.at(-1);
    expect([search?.path, search?.query.get("scope"), search?.query.get("search")]).toEqual([
      `${project}/search`,
      "blobs",
      "db-credentials",
    ]);
    double.failNext("GET", /\/search$/, { status: 400, body: { message: "Scope not supported" } });
    expect(await provider.findManifestFiles(query)).toEqual([ROTATION_FILE]);
    expect(double.requests.at(-1)?.query.get("recursive")).toBe("true");
  });
});
