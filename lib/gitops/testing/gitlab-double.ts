import "server-only";

import { fakeToken, startHttpDouble, type HttpDouble, type RecordedRequest, type Reply } from "./http-double";
import { blobSha, MemoryRepo } from "./memory-repo";

// GitLab's REST API v4 as far as Sealdeck uses it (docs.gitlab.com/api: branches, repository files,
// commits with actions, merge requests, search, users), with its paths, bodies, codes and messages.

export type GitLabMergeRequest = {
  iid: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: "opened" | "closed" | "merged";
  labels: string[];
  reviewer_ids: number[];
  remove_source_branch: boolean;
};

export type GitLabDouble = HttpDouble & {
  token: string;
  repo: MemoryRepo;
  mergeRequests: GitLabMergeRequest[];
};

export const GITLAB_PROJECT = "acme/deploy";

export async function startGitLabDouble(initial: Record<string, string>): Promise<GitLabDouble> {
  const token = fakeToken("glpat-");
  const repo = new MemoryRepo(initial);
  const mergeRequests: GitLabMergeRequest[] = [];
  const http = await startHttpDouble(
    (headers) =>
      headers["private-token"] === token ? null : { status: 401, body: { message: "401 Unauthorized" } },
    { matchEncoded: true },
  );
  const project = `/api/v4/projects/${encodeURIComponent(GITLAB_PROJECT)}`;
  const r = (pattern: string) => new RegExp(`^${project.replace(/[/%]/g, (c) => `\\${c}`)}${pattern}$`);
  const json = (status: number, body: unknown): Reply => ({ status, body });
  const body = (q: RecordedRequest) => (q.body ?? {}) as Record<string, unknown>;
  const param = (q: RecordedRequest, name: string) =>
    q.query.get(name) ?? (body(q)[name] as string | undefined);
  const mrJson = (mr: GitLabMergeRequest) => ({
    ...mr,
    web_url: `https://gitlab.test/${GITLAB_PROJECT}/-/merge_requests/${mr.iid}`,
    sha: repo.branches.get(mr.source_branch) ?? null,
  });

  http.route("GET", r("/repository/branches/([^/]+)"), (_q, [branch = ""]) => {
    const sha = repo.branches.get(branch);
    return sha
      ? json(200, { name: branch, commit: { id: sha } })
      : json(404, { message: "404 Branch Not Found" });
  });
  http.route("POST", r("/repository/branches"), (q) => {
    const branch = param(q, "branch") ?? "";
    const ref = param(q, "ref") ?? "";
    if (repo.branches.has(branch)) return json(400, { message: "Branch already exists" });
    const commit = repo.resolve(ref);
    if (!commit) return json(400, { message: "Invalid reference name" });
    repo.branches.set(branch, commit.sha);
    return json(201, { name: branch, commit: { id: commit.sha } });
  });
  http.route("DELETE", r("/repository/branches/([^/]+)"), (_q, [branch = ""]) =>
    repo.branches.delete(branch) ? { status: 204 } : json(404, { message: "404 Branch Not Found" }),
  );
  http.route("GET", r("/repository/files/([^/]+)"), (q, [path = ""]) => {
    const ref = q.query.get("ref") ?? "main";
    const content = repo.resolve(ref)?.files.get(path);
    if (content === undefined) return json(404, { message: "404 File Not Found" });
    return json(200, {
      file_name: path.split("/").pop(),
      file_path: path,
      encoding: "base64",
      content: Buffer.from(content).toString("base64"),
      blob_id: blobSha(content),
      ref,
      last_commit_id: repo.lastCommitFor(ref, path),
    });
  });
  http.route("POST", r("/repository/commits"), (q) => {
    const b = body(q) as {
      branch: string;
      commit_message: string;
      actions: { action: string; file_path: string; content: string; last_commit_id?: string }[];
      start_sha?: string;
      force?: boolean;
      author_name?: string;
      author_email?: string;
    };
    const existing = repo.branches.get(b.branch);
    if (b.start_sha && existing && !b.force)
      return json(400, { message: `A branch called '${b.branch}' already exists.` });
    const start = b.start_sha ?? existing;
    const base = start ? repo.commits.get(start) : undefined;
    if (!base) return json(400, { message: "You can only create or edit files when you are on a branch" });
    const files = new Map(base.files);
    for (const action of b.actions) {
      const current = files.get(action.file_path);
      if (action.action === "create" && current !== undefined)
        return json(400, { message: "A file with this name already exists" });
      if (action.action === "update" && current === undefined)
        return json(400, { message: "A file with this name doesn't exist" });
      if (action.last_commit_id && action.last_commit_id !== repo.lastCommitFor(base.sha, action.file_path))
        return json(400, {
          message: "You are attempting to update a file that has changed since you started editing it.",
        });
      files.set(action.file_path, action.content);
    }
    const commit = repo.commit([base.sha], files, b.commit_message, {
      name: b.author_name ?? "token owner",
      email: b.author_email ?? "owner@example.test",
    });
    repo.branches.set(b.branch, commit.sha);
    return json(201, {
      id: commit.sha,
      short_id: commit.sha.slice(0, 8),
      title: b.commit_message.split("\n")[0],
    });
  });
  http.route("POST", r("/merge_requests"), (q) => {
    const b = body(q) as Record<string, unknown>;
    const source = String(b.source_branch ?? "");
    if (!repo.branches.has(source)) return json(400, { message: ["Source branch does not exist"] });
    if (mergeRequests.some((mr) => mr.source_branch === source && mr.state === "opened"))
      return json(409, { message: [`Another open merge request already exists for this source branch: !1`] });
    const mr: GitLabMergeRequest = {
      iid: mergeRequests.length + 1,
      title: String(b.title ?? ""),
      description: String(b.description ?? ""),
      source_branch: source,
      target_branch: String(b.target_branch ?? ""),
      state: "opened",
      labels: typeof b.labels === "string" ? b.labels.split(",") : [],
      reviewer_ids: Array.isArray(b.reviewer_ids) ? (b.reviewer_ids as number[]) : [],
      remove_source_branch: b.remove_source_branch === true,
    };
    mergeRequests.push(mr);
    return json(201, mrJson(mr));
  });
  http.route("GET", r("/merge_requests"), (q) =>
    json(
      200,
      mergeRequests
        .filter(
          (mr) =>
            (!q.query.get("source_branch") || mr.source_branch === q.query.get("source_branch")) &&
            (!q.query.get("target_branch") || mr.target_branch === q.query.get("target_branch")) &&
            (!q.query.get("state") || q.query.get("state") === "all" || mr.state === q.query.get("state")),
        )
        .map(mrJson),
    ),
  );
  const mrAt = (iid: string | undefined) => mergeRequests.find((mr) => mr.iid === Number(iid));
  http.route("GET", r("/merge_requests/(\\d+)"), (_q, [iid]) => {
    const mr = mrAt(iid);
    return mr ? json(200, mrJson(mr)) : json(404, { message: "404 Not found" });
  });
  http.route("PUT", r("/merge_requests/(\\d+)"), (q, [iid]) => {
    const mr = mrAt(iid);
    if (!mr) return json(404, { message: "404 Not found" });
    const b = body(q);
    if (typeof b.title === "string") mr.title = b.title;
    if (typeof b.description === "string") mr.description = b.description;
    return json(200, mrJson(mr));
  });
  http.route("GET", r("/search"), (q) => {
    const term = q.query.get("search") ?? "";
    const files = repo.resolve("main")?.files ?? new Map<string, string>();
    return json(
      200,
      [...files]
        .filter(([, c]) => term && c.includes(term))
        .map(([path]) => ({ path, filename: path, ref: "main" })),
    );
  });
  http.route("GET", r("/repository/tree"), (q) => {
    const files = repo.resolve(q.query.get("ref") ?? "main")?.files ?? new Map<string, string>();
    return json(
      200,
      [...files.keys()].map((path) => ({ path, type: "blob", name: path.split("/").pop() })),
    );
  });
  http.route("GET", /^\/api\/v4\/users$/, (q) => {
    const username = q.query.get("username");
    return json(200, username === "alice" ? [{ id: 7, username: "alice" }] : []);
  });

  return { ...http, token, repo, mergeRequests };
}
