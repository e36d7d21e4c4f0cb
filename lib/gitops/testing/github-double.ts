import "server-only";

import { createHash } from "node:crypto";

import { buildSchema, graphqlSync, GraphQLError } from "graphql";

import { fakeToken, startHttpDouble, type HttpDouble, type RecordedRequest, type Reply } from "./http-double";
import { blobSha, MemoryRepo } from "./memory-repo";
import type { StoredPull } from "./stored-pull";

// GitHub's REST API as far as Sealdeck uses it, on 127.0.0.1, with GitHub's paths, bodies, status codes
// and messages (docs.github.com/rest: git refs, git trees/commits, repos contents, pulls, issues labels).

export type GitHubPull = StoredPull<string> & { teamReviewers: string[] };

export type GitHubDouble = HttpDouble & {
  token: string;
  repo: MemoryRepo;
  pulls: GitHubPull[];
  /** Requests to the repository API (everything but the App token exchange), for call counting. */
  apiCalls(): RecordedRequest[];
  installationTokens: number;
};

/** Blobs larger than this come back from GraphQL with `isTruncated` (the double's stand-in for GitHub's cut). */
export const GRAPHQL_TEXT_LIMIT = 512 * 1024;

// The slice of GitHub's GraphQL schema (docs.github.com/graphql/reference) Sealdeck queries. A query
// asking for a field GitHub does not have fails validation here as it would there.
const GRAPHQL_SCHEMA = buildSchema(`
  scalar GitObjectID
  type Query { repository(owner: String!, name: String!, followRenames: Boolean): Repository }
  type Repository { ref(qualifiedName: String!): Ref }
  type Ref { name: String! target: GitObject }
  interface GitObject { oid: GitObjectID! }
  type Commit implements GitObject { oid: GitObjectID! file(path: String!): TreeEntry }
  type Blob implements GitObject {
    oid: GitObjectID!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    text: String
  }
  type TreeEntry { oid: GitObjectID! path: String name: String! object: GitObject }
`);

const OWNER = "acme";
const NAME = "deploy";
export const GITHUB_REPOSITORY = `${OWNER}/${NAME}`;

export async function startGitHubDouble(
  initial: Record<string, string>,
  options: { appId?: number } = {},
): Promise<GitHubDouble> {
  const token = fakeToken("ghp_");
  const valid = new Set([token]);
  const repo = new MemoryRepo(initial);
  const trees = new Map<string, Map<string, string>>();
  const pulls: GitHubPull[] = [];
  const treeOf = (commit: string) => {
    const sha = createHash("sha1").update(`tree ${commit}`).digest("hex");
    const files = repo.commits.get(commit)?.files;
    if (files) trees.set(sha, files);
    return sha;
  };

  const http = await startHttpDouble((headers) => {
    const auth = headers.authorization ?? "";
    const [scheme = "", credential = ""] = auth.split(" ");
    if (/^bearer$/i.test(scheme) && options.appId && credential.split(".").length === 3) return null; // App JWT
    if (!/^(token|bearer)$/i.test(scheme) || !valid.has(credential))
      return {
        status: 401,
        body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
      };
    return null;
  });
  const base = `/repos/${OWNER}/${NAME}`;
  const esc = base.replace(/\//g, "\\/");
  const r = (pattern: string) => new RegExp(`^${esc}${pattern}$`);
  const json = (status: number, body: unknown): Reply => ({ status, body });
  const body = (request: RecordedRequest) => request.body as Record<string, unknown>;
  const pullJson = (pull: GitHubPull) => ({
    number: pull.number,
    html_url: `https://github.test/${OWNER}/${NAME}/pull/${pull.number}`,
    state: pull.state,
    merged: pull.merged,
    merged_at: pull.merged ? "2026-01-01T00:00:00Z" : null,
    title: pull.title,
    body: pull.body,
    head: { ref: pull.head, sha: repo.branches.get(pull.head) ?? "" },
    base: { ref: pull.base },
    labels: pull.labels.map((name) => ({ name })),
  });
  const notFound = json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });

  if (options.appId) {
    http.route("POST", /^\/app\/installations\/(\d+)\/access_tokens$/, () => {
      const minted = fakeToken("ghs_");
      valid.add(minted);
      double.installationTokens++;
      return json(201, { token: minted, expires_at: new Date(Date.now() + 3600_000).toISOString() });
    });
  }
  http.route("GET", r("/git/ref/heads/(.+)"), (_q, [branch = ""]) => {
    const sha = repo.branches.get(branch);
    return sha ? json(200, { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } }) : notFound;
  });
  http.route("GET", r("/contents/(.+)"), (q, [path = ""]) => {
    const commit = repo.resolve(q.query.get("ref") ?? "main");
    const content = commit?.files.get(path);
    if (content === undefined) return notFound;
    return json(200, {
      type: "file",
      encoding: "base64",
      size: Buffer.byteLength(content),
      name: path.split("/").pop(),
      path,
      sha: blobSha(content),
      content: Buffer.from(content).toString("base64"),
    });
  });
  http.route("POST", r("/git/refs"), (q) => {
    const { ref, sha } = body(q) as { ref: string; sha: string };
    const branch = ref.replace(/^refs\/heads\//, "");
    if (repo.branches.has(branch)) return json(422, { message: "Reference already exists" });
    if (!repo.commits.has(sha)) return json(422, { message: "Object does not exist" });
    repo.branches.set(branch, sha);
    return json(201, { ref, object: { sha, type: "commit" } });
  });
  http.route("PUT", r("/contents/(.+)"), (q, [path = ""]) => {
    const { message, content, sha, branch, author } = body(q) as {
      message: string;
      content: string;
      sha?: string;
      branch: string;
      author?: { name: string; email: string };
    };
    const head = repo.resolve(branch);
    if (!head) return json(404, { message: "Branch not found" });
    const current = head.files.get(path);
    if (current !== undefined && !sha)
      return json(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
    if (current !== undefined && sha !== blobSha(current))
      return json(409, { message: `${path} does not match ${sha}` });
    const files = new Map(head.files);
    const text = Buffer.from(content, "base64").toString("utf8");
    files.set(path, text);
    const commit = repo.commit(
      [head.sha],
      files,
      message,
      author ?? { name: "token owner", email: "owner@example.test" },
    );
    repo.branches.set(branch, commit.sha);
    return json(current === undefined ? 201 : 200, {
      content: { path, sha: blobSha(text) },
      commit: { sha: commit.sha },
    });
  });
  http.route("GET", r("/git/commits/([0-9a-f]{40})"), (_q, [sha = ""]) =>
    repo.commits.has(sha) ? json(200, { sha, tree: { sha: treeOf(sha) }, parents: [] }) : notFound,
  );
  http.route("POST", r("/git/trees"), (q) => {
    const { base_tree: baseTree, tree } = body(q) as {
      base_tree: string;
      tree: { path: string; content: string }[];
    };
    const files = new Map(trees.get(baseTree));
    if (!trees.has(baseTree)) return json(422, { message: "base_tree is not a valid tree" });
    for (const entry of tree) files.set(entry.path, entry.content);
    const sha = createHash("sha1")
      .update(`tree ${baseTree} ${JSON.stringify(tree)}`)
      .digest("hex");
    trees.set(sha, files);
    return json(201, { sha });
  });
  http.route("POST", r("/git/commits"), (q) => {
    const { message, tree, parents, author } = body(q) as {
      message: string;
      tree: string;
      parents: string[];
      author?: { name: string; email: string };
    };
    const files = trees.get(tree);
    if (!files) return json(422, { message: "Tree SHA does not exist" });
    const commit = repo.commit(
      parents,
      new Map(files),
      message,
      author ?? { name: "token owner", email: "o@example.test" },
    );
    return json(201, { sha: commit.sha });
  });
  http.route("PATCH", r("/git/refs/heads/(.+)"), (q, [branch = ""]) => {
    const { sha, force } = body(q) as { sha: string; force?: boolean };
    const current = repo.branches.get(branch);
    if (!current) return json(422, { message: "Reference does not exist" });
    if (!force && !repo.isAncestor(current, sha))
      return json(422, { message: "Update is not a fast forward" });
    repo.branches.set(branch, sha);
    return json(200, { ref: `refs/heads/${branch}`, object: { sha } });
  });
  http.route("DELETE", r("/git/refs/heads/(.+)"), (_q, [branch = ""]) => {
    if (!repo.branches.delete(branch)) return json(422, { message: "Reference does not exist" });
    return { status: 204 };
  });
  http.route("POST", r("/pulls"), (q) => {
    const { title, head, base: baseBranch, body: text } = body(q) as Record<string, string>;
    if (!head || !repo.branches.has(head))
      return json(422, { message: "Validation Failed", errors: [{ field: "head", code: "invalid" }] });
    if (pulls.some((p) => p.head === head && p.state === "open"))
      return json(422, {
        message: "Validation Failed",
        errors: [{ message: `A pull request already exists for ${OWNER}:${head}.` }],
      });
    const pull: GitHubPull = {
      number: pulls.length + 1,
      title: title ?? "",
      body: text ?? "",
      head,
      base: baseBranch ?? "main",
      state: "open",
      merged: false,
      labels: [],
      reviewers: [],
      teamReviewers: [],
    };
    pulls.push(pull);
    return json(201, pullJson(pull));
  });
  http.route("GET", r("/pulls"), (q) => {
    const head = q.query.get("head")?.split(":")[1];
    const state = q.query.get("state") ?? "open";
    const baseBranch = q.query.get("base");
    return json(
      200,
      pulls
        .filter(
          (p) =>
            (!head || p.head === head) &&
            (state === "all" || p.state === state) &&
            (!baseBranch || p.base === baseBranch),
        )
        .map(pullJson),
    );
  });
  const pullAt = (n: string | undefined) => pulls.find((p) => p.number === Number(n));
  http.route("GET", r("/pulls/(\\d+)"), (_q, [n]) => {
    const pull = pullAt(n);
    return pull ? json(200, pullJson(pull)) : notFound;
  });
  http.route("PATCH", r("/pulls/(\\d+)"), (q, [n]) => {
    const pull = pullAt(n);
    if (!pull) return notFound;
    const { title, body: text, state } = body(q) as Record<string, string | undefined>;
    if (title !== undefined) pull.title = title;
    if (text !== undefined) pull.body = text;
    if (state === "closed" || state === "open") pull.state = state;
    return json(200, pullJson(pull));
  });
  http.route("POST", r("/issues/(\\d+)/labels"), (q, [n]) => {
    const pull = pullAt(n);
    if (!pull) return notFound;
    pull.labels.push(...((body(q).labels as string[]) ?? []));
    return json(
      200,
      pull.labels.map((name) => ({ name })),
    );
  });
  http.route("POST", r("/pulls/(\\d+)/requested_reviewers"), (q, [n]) => {
    const pull = pullAt(n);
    if (!pull) return notFound;
    pull.reviewers.push(...((body(q).reviewers as string[]) ?? []));
    pull.teamReviewers.push(...((body(q).team_reviewers as string[]) ?? []));
    return json(201, pullJson(pull));
  });
  http.route("GET", /^\/search\/code$/, (q) => {
    const term = /"([^"]+)"/.exec(q.query.get("q") ?? "")?.[1] ?? "";
    const head = repo.resolve("main");
    const items = [...(head?.files ?? [])]
      .filter(([, c]) => term && c.includes(term))
      .map(([path]) => ({ path, name: path }));
    return json(200, { total_count: items.length, incomplete_results: false, items });
  });
  http.route("GET", r("/git/trees/(.+)"), (_q, [ref = ""]) => {
    const commit = repo.resolve(ref);
    if (!commit) return notFound;
    return json(200, {
      sha: treeOf(commit.sha),
      truncated: false,
      tree: [...commit.files.keys()].map((path) => ({ path, type: "blob", mode: "100644" })),
    });
  });

  http.route("POST", /^\/graphql$/, (q) => {
    const { query, variables } = body(q) as { query?: string; variables?: Record<string, unknown> };
    if (typeof query !== "string")
      return json(400, {
        message: "Problems parsing JSON",
        documentation_url: "https://docs.github.com/graphql",
      });
    const result = graphqlSync({
      schema: GRAPHQL_SCHEMA,
      source: query,
      variableValues: variables,
      rootValue: graphqlRoot(),
    });
    // GitHub answers 200 with `errors` for query problems and missing objects alike.
    return json(200, JSON.parse(JSON.stringify(result)) as unknown);
  });

  // Resolvers for the part of GitHub's schema the provider queries; names and nullability as GitHub's.
  const graphqlRoot = () => ({
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (owner !== OWNER || name !== NAME)
        throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, {
          extensions: { type: "NOT_FOUND" },
        });
      return {
        ref: ({ qualifiedName }: { qualifiedName: string }) => {
          const branch = qualifiedName.replace(/^refs\/heads\//, "");
          const sha = repo.branches.get(branch);
          const commit = sha ? repo.commits.get(sha) : undefined;
          if (!sha || !commit) return null;
          return {
            name: branch,
            target: {
              __typename: "Commit",
              oid: sha,
              file: ({ path }: { path: string }) => {
                const content = commit.files.get(path);
                if (content === undefined) return null;
                const truncated = Buffer.byteLength(content) > GRAPHQL_TEXT_LIMIT;
                return {
                  oid: blobSha(content),
                  path,
                  name: path.split("/").pop(),
                  object: {
                    __typename: "Blob",
                    oid: blobSha(content),
                    byteSize: Buffer.byteLength(content),
                    isBinary: false,
                    isTruncated: truncated,
                    text: truncated ? content.slice(0, GRAPHQL_TEXT_LIMIT) : content,
                  },
                };
              },
            },
          };
        },
      };
    },
  });

  const double: GitHubDouble = {
    ...http,
    token,
    repo,
    pulls,
    installationTokens: 0,
    apiCalls: () =>
      http.requests.filter(
        (q) => q.path.startsWith(base) || q.path.startsWith("/search/") || q.path === "/graphql",
      ),
  };
  return double;
}
