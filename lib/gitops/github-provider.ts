import "server-only";

import { App, Octokit, RequestError } from "octokit";

import { AppError } from "@/lib/errors/app-error";

import { assertBranchUnmoved } from "./assert-branch-unmoved";
import { findManifestCandidates } from "./find-manifest-candidates";
import { nullIfMissing } from "./null-if-missing";
import type { BranchSnapshot, CommitFilesInput, GitProvider, RepoFile } from "./provider";
import { providerError, providerErrorWithoutAnswer } from "./provider-error";
import { splitReviewers } from "./split-reviewers";
import { toGitHubStylePullRequest } from "./to-github-style-pull-request";

export type GitHubCredentials =
  | { type: "token"; token: string }
  | { type: "github-app"; appId: number; installationId: number; privateKey: string };

export type GitHubOptions = {
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  baseUrl: string;
  /** `owner/name`. */
  repository: string;
  credentials: GitHubCredentials;
};

// Retries and throttling stay off: a proposal is a user-facing request, so a rate limit becomes a clear
// error with its reset time instead of a request that hangs for an hour.
const CLIENT_OPTIONS = { throttle: { enabled: false }, retry: { enabled: false } } as const;

/**
 * GitHub through Octokit's REST API. A single-file change is one call (contents API, which checks the
 * file's blob sha itself); several files are one commit through the git data API. A rotation PR takes at
 * most 6 calls: branch head and file (one GraphQL query), create branch, commit, open PR, labels, reviewers.
 */
export function createGitHubProvider(options: GitHubOptions): GitProvider {
  const [owner = "", repo = ""] = options.repository.split("/");
  const repoParams = { owner, repo };
  const secrets = [
    options.credentials.type === "token" ? options.credentials.token : options.credentials.privateKey,
  ];
  let client: Promise<Octokit> | undefined;

  const octokit = () =>
    (client ??= (async () => {
      const { credentials } = options;
      if (credentials.type === "token")
        return new Octokit({ ...CLIENT_OPTIONS, baseUrl: options.baseUrl, auth: credentials.token });
      const app = new App({
        appId: credentials.appId,
        privateKey: credentials.privateKey,
        Octokit: Octokit.defaults({ ...CLIENT_OPTIONS, baseUrl: options.baseUrl }),
      });
      return app.getInstallationOctokit(credentials.installationId);
    })().catch((error: unknown) => {
      client = undefined;
      throw fail("authenticate", error);
    }));

  const fail = (operation: string, error: unknown): AppError => {
    if (error instanceof AppError) return error;
    if (error instanceof RequestError) {
      const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
      const detail = [
        typeof data?.message === "string" ? data.message : "",
        JSON.stringify(data?.errors ?? ""),
      ]
        .filter((part) => part && part !== '""')
        .join(" ");
      return providerError({
        host: "GitHub",
        operation,
        status: error.status,
        headers: error.response?.headers as Record<string, string | undefined> | undefined,
        upstream: detail,
        secrets,
      });
    }
    return providerErrorWithoutAnswer({ host: "GitHub", operation, secrets }, error);
  };

  const call = async <T>(operation: string, work: (client: Octokit) => Promise<T>): Promise<T> => {
    const client = await octokit();
    try {
      return await work(client);
    } catch (error) {
      throw fail(operation, error);
    }
  };

  const getBranchHead = (branch: string): Promise<string | null> =>
    nullIfMissing(
      call(`read branch ${branch}`, async (c) => {
        const { data } = await c.rest.git.getRef({ ...repoParams, ref: `heads/${branch}` });
        return data.object.sha;
      }),
    );

  type FileEntry = { oid: string; object: { text?: string | null; isTruncated?: boolean } | null } | null;
  type BranchFilesData = {
    repository: { ref: { target: { oid: string } & Record<string, FileEntry | string> } | null } | null;
  };

  // One query for the head and every file: `Commit.file(path)` gives each file's blob id (what the
  // contents API's `sha` must quote) and its text. Saves a call per proposal, which is what keeps a
  // rotation PR with reviewers within 6 calls.
  const readBranchFiles = async (
    branch: string,
    paths: readonly string[],
  ): Promise<BranchSnapshot | null> => {
    const client = await octokit();
    const variables: Record<string, string> = { owner, name: repo, ref: `refs/heads/${branch}` };
    paths.forEach((path, i) => (variables[`p${i}`] = path));
    const query = `query($owner: String!, $name: String!, $ref: String!${paths.map((_, i) => `, $p${i}: String!`).join("")}) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target {
        oid
        ... on Commit {${paths.map((_, i) => `\n          f${i}: file(path: $p${i}) { oid object { ... on Blob { text isTruncated } } }`).join("")}
        }
      }
    }
  }
}`;
    let data: BranchFilesData;
    try {
      data = await client.graphql<BranchFilesData>(query, variables);
    } catch (error) {
      // A GraphQL-level error (an older GitHub Enterprise without `Commit.file`, a repository the token
      // cannot see): the REST calls give the same answer, and their own precise errors.
      if (error instanceof Error && error.name === "GraphqlResponseError")
        return readBranchFilesByRest(branch);
      throw fail(`read branch ${branch}`, error);
    }
    const target = data.repository?.ref?.target;
    if (!target) return null;
    const files = new Map<string, RepoFile | null>();
    for (const [i, path] of paths.entries()) {
      const entry = target[`f${i}`] as FileEntry | undefined;
      const text = entry?.object?.text;
      if (!entry) files.set(path, null);
      // Binary or truncated (large) blobs are left to readFile, which reads them in full.
      else if (typeof text === "string" && !entry.object?.isTruncated)
        files.set(path, { path, content: text, version: entry.oid });
    }
    return { head: target.oid, files };
  };

  const readBranchFilesByRest = async (branch: string): Promise<BranchSnapshot | null> => {
    const head = await getBranchHead(branch);
    return head ? { head, files: new Map() } : null;
  };

  const moveBranch = async (input: CommitFilesInput, commit: string) => {
    // A force move: GitHub has no compare-and-swap for it, so check the head right before.
    if (input.parent !== input.expectedHead) await assertBranchUnmoved("GitHub", getBranchHead, input);
    await call(`update branch ${input.branch}`, (c) =>
      c.rest.git.updateRef({
        ...repoParams,
        ref: `heads/${input.branch}`,
        sha: commit,
        // Without force GitHub only fast-forwards, which is the compare-and-swap for a plain commit.
        force: input.parent !== input.expectedHead,
      }),
    );
  };

  return {
    kind: "github",
    canRebuildBranch: true,
    hasPullRequests: true,
    repositoryLabel: options.repository,

    readFile: (path, ref) =>
      nullIfMissing(
        call(`read ${path}`, async (c): Promise<RepoFile | null> => {
          const { data } = await c.rest.repos.getContent({ ...repoParams, path, ref });
          if (Array.isArray(data) || data.type !== "file") return null;
          let encoded = "content" in data ? data.content : "";
          if (!encoded && data.size > 0) {
            // Files over 1 MB come without content; the blob API serves them.
            encoded = (await c.rest.git.getBlob({ ...repoParams, file_sha: data.sha })).data.content;
          }
          return { path, content: Buffer.from(encoded, "base64").toString("utf8"), version: data.sha };
        }),
      ),

    findManifestFiles: (input) =>
      findManifestCandidates(input, {
        search: () =>
          call("search code", async (c) => {
            const q = [
              `"${input.name}"`,
              "kind SealedSecret",
              `repo:${options.repository}`,
              ...(input.under ? [`path:${input.under}`] : []),
            ];
            const { data } = await c.rest.search.code({
              q: q.join(" "),
              per_page: Math.min(100, input.limit),
            });
            return data.items.map((item) => item.path);
          }),
        // One recursive tree listing.
        listFiles: () =>
          call("list files", async (c) => {
            const { data } = await c.rest.git.getTree({
              ...repoParams,
              tree_sha: input.ref,
              recursive: "true",
            });
            return data.tree.flatMap((entry) => (entry.type === "blob" && entry.path ? [entry.path] : []));
          }),
      }),

    getBranchHead,
    readBranchFiles,

    createBranch: (branch, commit) =>
      call(`create branch ${branch}`, async (c) => {
        await c.rest.git.createRef({ ...repoParams, ref: `refs/heads/${branch}`, sha: commit });
      }),

    async commitFiles(input: CommitFilesInput) {
      const [only] = input.changes;
      if (input.changes.length === 1 && only && input.parent === input.expectedHead) {
        return call(`commit ${only.path}`, async (c) => {
          const { data } = await c.rest.repos.createOrUpdateFileContents({
            ...repoParams,
            path: only.path,
            branch: input.branch,
            message: input.message,
            content: Buffer.from(only.content, "utf8").toString("base64"),
            ...(only.expectedVersion ? { sha: only.expectedVersion } : {}),
            ...(input.author ? { author: input.author } : {}),
          });
          if (!data.commit.sha) throw new AppError("bad_gateway", "GitHub did not return the new commit.");
          return data.commit.sha;
        });
      }
      const commit = await call(`commit to ${input.branch}`, async (c) => {
        const parent = await c.rest.git.getCommit({ ...repoParams, commit_sha: input.parent });
        const tree = await c.rest.git.createTree({
          ...repoParams,
          base_tree: parent.data.tree.sha,
          tree: input.changes.map((change) => ({
            path: change.path,
            mode: "100644" as const,
            type: "blob" as const,
            content: change.content,
          })),
        });
        const created = await c.rest.git.createCommit({
          ...repoParams,
          message: input.message,
          tree: tree.data.sha,
          parents: [input.parent],
          ...(input.author ? { author: input.author } : {}),
        });
        return created.data.sha;
      });
      await moveBranch(input, commit);
      return commit;
    },

    async openPullRequest(input) {
      const pull = await call(`open a pull request for ${input.head}`, async (c) => {
        const { data } = await c.rest.pulls.create({
          ...repoParams,
          head: input.head,
          base: input.base,
          title: input.title,
          body: input.body,
        });
        return data;
      });
      try {
        if (input.labels.length > 0)
          await call("label the pull request", (c) =>
            c.rest.issues.addLabels({ ...repoParams, issue_number: pull.number, labels: [...input.labels] }),
          );
        if (input.reviewers.length > 0)
          await call("request reviewers", (c) =>
            c.rest.pulls.requestReviewers({
              ...repoParams,
              pull_number: pull.number,
              ...splitReviewers(input.reviewers),
            }),
          );
      } catch (error) {
        // No half-made pull request: close it, the caller deletes the branch.
        await call("close the pull request", (c) =>
          c.rest.pulls.update({ ...repoParams, pull_number: pull.number, state: "closed" }),
        ).catch(() => undefined);
        throw error;
      }
      return toGitHubStylePullRequest(pull);
    },

    findOpenPullRequest: (branch, base) =>
      call(`find the pull request for ${branch}`, async (c) => {
        const { data } = await c.rest.pulls.list({
          ...repoParams,
          head: `${owner}:${branch}`,
          base,
          state: "open",
          per_page: 1,
        });
        return data[0] ? toGitHubStylePullRequest(data[0]) : null;
      }),

    updatePullRequest: (ref, input) =>
      call(`update pull request #${ref.number}`, async (c) => {
        const { data } = await c.rest.pulls.update({
          ...repoParams,
          pull_number: ref.number,
          title: input.title,
          body: input.body,
        });
        return toGitHubStylePullRequest(data);
      }),

    getPullRequestState: (ref) =>
      call(`read pull request #${ref.number}`, async (c) => {
        const { data } = await c.rest.pulls.get({ ...repoParams, pull_number: ref.number });
        return toGitHubStylePullRequest(data).state;
      }),

    async deleteBranch(branch) {
      try {
        await nullIfMissing(
          call(`delete branch ${branch}`, (c) =>
            c.rest.git.deleteRef({ ...repoParams, ref: `heads/${branch}` }),
          ),
        );
      } catch (error) {
        // GitHub answers 422 "Reference does not exist" for a branch that is already gone.
        if (error instanceof AppError && error.details?.status === 422) return;
        throw error;
      }
    },
  };
}
