import { generateKeyPairSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import type { AppError } from "@/lib/errors/app-error";

import { addToPullRequest } from "./add-to-pull-request";
import { createGitHubProvider } from "./github-provider";
import { readMarker } from "./proposal-marker";
import { proposeChange } from "./propose-change";
import type { GitProvider } from "./provider";
import { closeAfterEach } from "./testing/close-after-each";
import { commitOnMain } from "./testing/commit-on-main";
import { expectNoHalfMadePullRequest } from "./testing/expect-no-half-made-pull-request";
import { expectProviderErrors } from "./testing/expect-provider-errors";
import {
  GITHUB_REPOSITORY,
  GRAPHQL_TEXT_LIMIT,
  startGitHubDouble,
  type GitHubDouble,
} from "./testing/github-double";
import { fakeSealedSecret } from "./testing/git-fixture";
import { blobSha } from "./testing/memory-repo";
import { measureGitHubRotation } from "./testing/measure-github-rotation";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./testing/rotation-proposal";

const closeLater = closeAfterEach<GitHubDouble>();

async function setup(files: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST }) {
  const double = closeLater(await startGitHubDouble(files));
  const connect = (token: string) =>
    createGitHubProvider({
      baseUrl: double.url,
      repository: GITHUB_REPOSITORY,
      credentials: { type: "token", token },
    });
  return { double, provider: connect(double.token), connect };
}

const rotation = (provider: GitProvider, keys: Record<string, string>, labels: string[] = []) =>
  rotationProposal(provider, keys, { labels, login: "dana" });

const route = (d: GitHubDouble) => d.apiCalls().map((q) => `${q.method} ${q.path}`);

describe("GitHub provider contract (local double of the REST API)", () => {
  it("opens a rotation PR in 5 API calls with GitHub's request shapes", async () => {
    const { calls, requests, result, double } = await measureGitHubRotation();
    closeLater(double);
    expect(calls).toBe(5);
    expect(requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      "POST /graphql",
      "POST /repos/acme/deploy/git/refs",
      `PUT /repos/acme/deploy/contents/${ROTATION_FILE}`,
      "POST /repos/acme/deploy/pulls",
      "POST /repos/acme/deploy/issues/1/labels",
    ]);
    for (const request of requests) expect(request.headers.authorization).toBe(`token ${double.token}`);
    const baseHead = double.repo.branches.get("main");
    expect((requests[0]?.body as { variables: unknown }).variables).toEqual({
      owner: "acme",
      name: "deploy",
      ref: "refs/heads/main",
      p0: ROTATION_FILE,
    });
    expect(requests[1]?.body).toEqual({ ref: "refs/heads/sealdeck/payments/db-credentials", sha: baseHead });
    const put = requests[2]?.body as Record<string, unknown>;
    expect(put).toMatchObject({
      branch: "sealdeck/payments/db-credentials",
      sha: blobSha(ROTATION_MANIFEST),
      author: { name: "Dana Developer", email: "dana@example.test" },
    });
    const written = Buffer.from(String(put.content), "base64").toString("utf8");
    expect(written).toContain("password: AgNEWPASSWORD==");
    expect(written).toContain("username: AgOLDUSERNAME==");
    expect(requests[3]?.body).toMatchObject({
      head: "sealdeck/payments/db-credentials",
      base: "main",
      title: "Rotate sealed secret payments/db-credentials (password) on prod",
    });
    expect(String((requests[3]?.body as { body: string }).body)).toContain(`"head":"${result.commit}"`);
    expect(requests[4]?.body).toEqual({ labels: ["sealed-secrets"] });
    expect(result.pullRequest).toMatchObject({
      number: 1,
      state: "open",
      url: "https://github.test/acme/deploy/pull/1",
    });
    const commit = double.repo.commits.get(result.commit);
    expect(commit?.author).toEqual({ name: "Dana Developer", email: "dana@example.test" });
    expect(commit?.parents).toEqual([baseHead]);
  });

  it("stays within 6 calls with reviewers too, and costs none per repository file", async () => {
    const small = await measureGitHubRotation({ reviewers: ["alice", "acme/security"] });
    const large = await measureGitHubRotation({ reviewers: ["alice", "acme/security"], extraFiles: 2000 });
    closeLater(small.double);
    closeLater(large.double);
    expect(small.calls).toBe(6);
    expect(large.calls).toBe(small.calls);
    expect(small.requests.at(-1)?.body).toEqual({ reviewers: ["alice"], team_reviewers: ["security"] });
    expect(small.double.pulls[0]?.reviewers).toEqual(["alice"]);
  });

  it("updates the same PR for a second change: rebuilt on main, branch force-moved, body rewritten", async () => {
    const { double, provider } = await setup();
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const moved = double.repo.push("main", { "README.md": "moved\n" });
    const calls = double.apiCalls().length;
    const second = await proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }));

    expect(second.created).toBe(false);
    expect(double.pulls).toHaveLength(1);
    expect(second.pullRequest.number).toBe(first.pullRequest.number);
    const newCalls = double.apiCalls().slice(calls);
    const patchRef = newCalls.find((q) => q.method === "PATCH" && q.path.includes("/git/refs/"));
    expect(patchRef?.body).toEqual({ sha: second.commit, force: true });
    expect(double.repo.commits.get(second.commit)?.parents).toEqual([moved]);
    const file = double.repo.resolve("sealdeck/payments/db-credentials")?.files.get(ROTATION_FILE) ?? "";
    expect(file).toContain("password: AgNEWPASSWORD==");
    expect(file).toContain("username: AgNEWUSERNAME==");
    expect(double.pulls[0]?.title).toContain("(password, username)");
    expect(double.pulls[0]?.body).toContain(`"head":"${second.commit}"`);
  });

  it("adds a re-seal campaign's second secret to the first's PR: a commit on top, the PR lists both", async () => {
    const OTHER = "clusters/prod/payments/api-keys.yaml";
    const { double, provider } = await setup({
      [ROTATION_FILE]: ROTATION_MANIFEST,
      [OTHER]: ROTATION_MANIFEST.replaceAll("db-credentials", "api-keys"),
    });
    const first = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const base = rotation(provider, { token: "AgNEWTOKEN==" });
    const added = await addToPullRequest({
      provider,
      repository: { baseBranch: "main" },
      branch: first.branch,
      change: { ...base.change, secret: { namespace: "payments", name: "api-keys" }, keys: ["token"] },
      files: [
        {
          cluster: "prod",
          path: OTHER,
          manifest: fakeSealedSecret("payments", "api-keys", { token: "AgNEWTOKEN==" }),
        },
      ],
    });

    expect(double.pulls).toHaveLength(1);
    expect(added.pullRequest.number).toBe(first.pullRequest.number);
    expect(added.secrets).toEqual(["payments/db-credentials", "payments/api-keys"]);
    expect(double.repo.commits.get(added.commit)?.parents).toEqual([first.commit]);
    const head = double.repo.resolve(first.branch);
    expect(head?.files.get(ROTATION_FILE)).toContain("password: AgNEWPASSWORD==");
    expect(head?.files.get(OTHER)).toContain("token: AgNEWTOKEN==");
    const pull = double.pulls[0]!;
    expect(pull.title).toBe("Re-seal 2 sealed secrets payments/db-credentials, payments/api-keys on prod");
    expect(pull.body).toContain(
      "- `payments/api-keys`: `clusters/prod/payments/api-keys.yaml` (prod): `token`",
    );
    expect(readMarker(pull.body)).toMatchObject({
      secret: "payments/db-credentials",
      head: added.commit,
      batch: [{ secret: "payments/api-keys", path: OTHER, cluster: "prod", keys: ["token"] }],
    });

    // The first secret's next change goes on top too, keeping the batch in the PR and its description.
    const again = await proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }));
    expect(double.repo.commits.get(again.commit)?.parents).toEqual([added.commit]);
    expect(double.repo.resolve(first.branch)?.files.get(OTHER)).toContain("token: AgNEWTOKEN==");
    expect(readMarker(double.pulls[0]!.body)?.batch).toHaveLength(1);
    expect(double.pulls[0]!.title).toContain("payments/api-keys");

    // Someone else's commit on the branch: nothing is added on top of it.
    double.repo.push(first.branch, { "notes.md": "mine\n" });
    await expect(
      addToPullRequest({
        provider,
        repository: { baseBranch: "main" },
        branch: first.branch,
        maxAttempts: 1,
        change: { ...base.change, secret: { namespace: "payments", name: "api-keys" }, keys: ["token"] },
        files: [
          {
            cluster: "prod",
            path: OTHER,
            manifest: fakeSealedSecret("payments", "api-keys", { token: "AgX==" }),
          },
        ],
      }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("commits Sealdeck did not make; nothing was added") as unknown,
    });
  });

  it("refuses to force-move a PR branch that someone else pushed to", async () => {
    const { double, provider } = await setup();
    await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    const theirs = double.repo.push("sealdeck/payments/db-credentials", { "notes.md": "mine\n" });
    await expect(proposeChange(rotation(provider, { username: "AgNEWUSERNAME==" }))).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("commits Sealdeck did not make") as unknown,
    });
    expect(double.repo.branches.get("sealdeck/payments/db-credentials")).toBe(theirs);
  });

  it("commits several files as one commit through the git data API with a fast-forward ref update", async () => {
    const staging = "clusters/staging/payments/db-credentials.yaml";
    const { double, provider } = await setup({
      [ROTATION_FILE]: ROTATION_MANIFEST,
      [staging]: ROTATION_MANIFEST,
    });
    const input = rotation(provider, { password: "AgNEWPASSWORD==" });
    const result = await proposeChange({
      ...input,
      change: { ...input.change, clusters: ["prod", "staging"] },
      files: [...input.files, { ...input.files[0]!, cluster: "staging", path: staging }],
    });
    const routes = route(double);
    expect(routes).toContain("POST /repos/acme/deploy/git/trees");
    expect(routes).toContain("POST /repos/acme/deploy/git/commits");
    const tree = double.apiCalls().find((q) => q.path.endsWith("/git/trees"))?.body as {
      tree: { path: string; mode: string; type: string }[];
    };
    expect(tree.tree.map((t) => [t.path, t.mode, t.type])).toEqual([
      [ROTATION_FILE, "100644", "blob"],
      [staging, "100644", "blob"],
    ]);
    const patch = double.apiCalls().find((q) => q.method === "PATCH" && q.path.includes("/git/refs/"));
    expect(patch?.body).toEqual({ sha: result.commit, force: false });
    const files = double.repo.commits.get(result.commit)?.files;
    expect(files?.get(staging)).toContain("AgNEWPASSWORD==");
    expect(files?.get(ROTATION_FILE)).toContain("AgNEWPASSWORD==");
  });

  it("deletes the new branch when GitHub refuses the pull request", async () => {
    const { double, provider } = await setup();
    double.failNext("POST", /\/pulls$/, {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    await expect(proposeChange(rotation(provider, { password: "AgNEW==" }))).rejects.toMatchObject({
      code: "forbidden",
    });
    expect([...double.repo.branches.keys()]).toEqual(["main"]);
    expect(double.pulls).toHaveLength(0);
  });

  it("closes the PR and deletes the branch when labelling fails (no half-made PR)", async () => {
    const { double, provider } = await setup();
    double.failNext("POST", /\/issues\/\d+\/labels$/, {
      status: 422,
      body: { message: "Validation Failed" },
    });
    await expectNoHalfMadePullRequest(
      double,
      proposeChange(rotation(provider, { password: "AgNEW==" }, ["sealed-secrets"])),
    );
  });

  it("maps GitHub's error responses to AppError without leaking the token", async () => {
    const { double, provider, connect } = await setup();
    const reset = Math.floor(Date.now() / 1000) + 120;
    await expectProviderErrors(connect, double.token, [
      [
        () => {
          double.failNext("GET", /git\/ref\//, {
            status: 403,
            body: { message: "API rate limit exceeded for installation." },
            headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
          });
          return provider.getBranchHead("main");
        },
        "rate_limited",
        "rate-limit",
      ],
      [
        () => {
          double.failNext("GET", /git\/ref\//, {
            status: 429,
            body: { message: "slow down" },
            headers: { "retry-after": "30" },
          });
          return provider.getBranchHead("main");
        },
        "rate_limited",
        "rate-limit",
      ],
      [
        () => {
          double.failNext("POST", /git\/refs$/, {
            status: 403,
            body: { message: "Resource not accessible by personal access token" },
          });
          return provider.createBranch("x", "0".repeat(40));
        },
        "forbidden",
        "permission",
      ],
      [() => provider.createBranch("main", double.repo.branches.get("main") ?? ""), "conflict", "conflict"],
      [
        () => {
          double.failNext("PATCH", /git\/refs\//, {
            status: 422,
            body: { message: "Protected branch update failed for refs/heads/main." },
          });
          const head = double.repo.branches.get("main") ?? "";
          return commitOnMain(provider, head, [
            { path: "a.yaml", content: "a: 1\n", expectedVersion: null },
            { path: "b.yaml", content: "b: 1\n", expectedVersion: null },
          ]);
        },
        "forbidden",
        "protected-branch",
      ],
      [
        () => {
          const head = double.repo.branches.get("main") ?? "";
          return commitOnMain(provider, head, [
            {
              path: ROTATION_FILE,
              content: "x: 1\n",
              expectedVersion: blobSha("someone else's version"),
            },
          ]);
        },
        "conflict",
        "conflict",
      ],
      [() => provider.getPullRequestState({ number: 99, headBranch: "x" }), "not_found", "not-found"],
    ]);
    const limited = (await (async () => {
      double.failNext("GET", /git\/ref\//, {
        status: 429,
        body: { message: "slow" },
        headers: { "retry-after": "30" },
      });
      return provider.getBranchHead("main").catch((e: unknown) => e);
    })()) as AppError;
    expect(limited.details?.retryAfterSeconds).toBe(30);
    expect(limited.message).toContain("retry in 30s");
  });

  it("reads the head and files in one GraphQL query, and falls back to REST where GraphQL cannot", async () => {
    const big = `${ROTATION_MANIFEST}# ${"x".repeat(GRAPHQL_TEXT_LIMIT)}\n`;
    const { double, provider } = await setup({ [ROTATION_FILE]: ROTATION_MANIFEST, "big.yaml": big });
    const head = double.repo.branches.get("main");
    const read =
      (await provider.readBranchFiles?.("main", [ROTATION_FILE, "missing.yaml", "big.yaml"])) ?? null;
    expect(read?.head).toBe(head);
    expect(read?.files.get(ROTATION_FILE)).toEqual({
      path: ROTATION_FILE,
      content: ROTATION_MANIFEST,
      version: blobSha(ROTATION_MANIFEST),
    });
    expect(read?.files.get("missing.yaml")).toBeNull();
    // A truncated blob is not in the snapshot, so readFile fetches it whole.
    expect(read?.files.has("big.yaml")).toBe(false);
    expect(route(double)).toEqual(["POST /graphql"]);
    expect(await provider.readBranchFiles?.("nope", [ROTATION_FILE])).toBeNull();

    // A GitHub Enterprise without `Commit.file` answers with GraphQL errors: the REST reads take over.
    double.failNext("POST", /^\/graphql$/, {
      status: 200,
      body: { errors: [{ message: "Field 'file' doesn't exist on type 'Commit'" }] },
    });
    const before = double.apiCalls().length;
    const result = await proposeChange(rotation(provider, { password: "AgNEWPASSWORD==" }));
    expect(route(double).slice(before, before + 3)).toEqual([
      "POST /graphql",
      "GET /repos/acme/deploy/git/ref/heads/main",
      `GET /repos/acme/deploy/contents/${ROTATION_FILE}`,
    ]);
    expect(double.repo.resolve(result.branch)?.files.get(ROTATION_FILE)).toContain("AgNEWPASSWORD==");

    // HTTP-level failures of the query are mapped like any other call's, without the token.
    double.failNext("POST", /^\/graphql$/, {
      status: 403,
      body: { message: "API rate limit exceeded" },
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
      },
    });
    const error = (await provider
      .readBranchFiles?.("main", [ROTATION_FILE])
      .catch((e: unknown) => e)) as AppError;
    expect({ code: error.code, reason: error.details?.reason }).toEqual({
      code: "rate_limited",
      reason: "rate-limit",
    });
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(double.token);
  });

  it("reads missing files and branches as null, and finds manifests by code search or tree walk", async () => {
    const { double, provider } = await setup({
      [ROTATION_FILE]: ROTATION_MANIFEST,
      "apps/other.yaml": "x: 1\n",
    });
    expect(await provider.readFile("nope.yaml", "main")).toBeNull();
    expect(await provider.getBranchHead("nope")).toBeNull();
    const query = { name: "db-credentials", namespace: "payments", ref: "main", limit: 10 };
    expect(await provider.findManifestFiles(query)).toEqual([ROTATION_FILE]);
    expect(double.apiCalls().at(-1)?.query.get("q")).toContain(`repo:${GITHUB_REPOSITORY}`);
    double.failNext("GET", /^\/search\/code$/, { status: 422, body: { message: "Validation Failed" } });
    expect(await provider.findManifestFiles(query)).toEqual([ROTATION_FILE, "apps/other.yaml"]);
    expect(double.apiCalls().at(-1)?.query.get("recursive")).toBe("true");
    await provider.deleteBranch("never-existed");
  });

  it("authenticates as a GitHub App installation and uses the minted token", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const double = closeLater(
      await startGitHubDouble({ [ROTATION_FILE]: ROTATION_MANIFEST }, { appId: 123 }),
    );
    const provider = createGitHubProvider({
      baseUrl: double.url,
      repository: GITHUB_REPOSITORY,
      credentials: { type: "github-app", appId: 123, installationId: 456, privateKey: pem },
    });
    expect(await provider.getBranchHead("main")).toBe(double.repo.branches.get("main"));
    const exchange = double.requests.find((q) => q.path === "/app/installations/456/access_tokens");
    expect(exchange?.method).toBe("POST");
    expect(exchange?.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(double.apiCalls().at(-1)?.headers.authorization).toMatch(/^token ghs_FAKE/);
    expect(double.installationTokens).toBe(1);
  });
});
