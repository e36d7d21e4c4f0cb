import { describe, expect, it } from "vitest";

import { createGitLabProvider } from "./gitlab-provider";
import { proposeChange } from "./propose-change";
import type { GitProvider } from "./provider";
import { closeAfterEach } from "./testing/close-after-each";
import { commitOnMain } from "./testing/commit-on-main";
import { expectProviderErrors } from "./testing/expect-provider-errors";
import { GITLAB_PROJECT, startGitLabDouble, type GitLabDouble } from "./testing/gitlab-double";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./testing/rotation-proposal";

const closeLater = closeAfterEach<GitLabDouble>();

async function setup() {
  const double = closeLater(await startGitLabDouble({ [ROTATION_FILE]: ROTATION_MANIFEST }));
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
      `POST ${project}/repository/commits`,
      "GET /api/v4/users",
      `POST ${project}/merge_requests`,
    ]);
    for (const request of requests) expect(request.headers["private-token"]).toBe(double.token);
    const mainHead = double.repo.branches.get("main");
    expect(requests[1]?.query.get("ref")).toBe(mainHead);
    const commit = requests[3]?.body as Record<string, unknown>;
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
    expect(requests[5]?.body).toMatchObject({
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

  it("refuses an edit when the file changed since it was read (last_commit_id) and deletes the new branch", async () => {
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
    // One request per call: a 429 is reported at once, not retried for minutes.
    expect(
      double.requests.filter((q) => q.method === "GET" && q.path.endsWith("/branches/main")),
    ).toHaveLength(3);
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
