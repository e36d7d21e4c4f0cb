import "server-only";

import { fakeToken, startHttpDouble, type HttpDouble, type RecordedRequest, type Reply } from "./http-double";
import { blobSha, MemoryRepo } from "./memory-repo";
import type { StoredPull } from "./stored-pull";

// Gitea/Forgejo's `/api/v1` as far as Sealdeck uses it (branches, contents incl. the multi-file
// ChangeFiles endpoint, git trees, pulls, labels, requested reviewers), with their codes and messages.

export type GiteaPull = StoredPull<number>;

export type GiteaDouble = HttpDouble & { token: string; repo: MemoryRepo; pulls: GiteaPull[] };

export const GITEA_REPOSITORY = "acme/deploy";
const LABELS = [
  { id: 11, name: "sealed-secrets" },
  { id: 12, name: "security" },
];

export async function startGiteaDouble(initial: Record<string, string>): Promise<GiteaDouble> {
  const token = fakeToken("gitea_");
  const repo = new MemoryRepo(initial);
  const pulls: GiteaPull[] = [];
  const http = await startHttpDouble((headers) =>
    headers.authorization === `token ${token}`
      ? null
      : {
          status: 401,
          body: { message: "user does not exist [uid: 0, name: ]", url: "https://gitea.test/api/swagger" },
        },
  );
  const base = `/api/v1/repos/${GITEA_REPOSITORY}`;
  const r = (pattern: string) => new RegExp(`^${base.replace(/\//g, "\\/")}${pattern}$`);
  const json = (status: number, body: unknown): Reply => ({ status, body });
  const body = (q: RecordedRequest) => (q.body ?? {}) as Record<string, unknown>;
  const notFound = json(404, { message: "The target couldn't be found.", errors: [] });
  const pullJson = (pull: GiteaPull) => ({
    number: pull.number,
    html_url: `https://gitea.test/${GITEA_REPOSITORY}/pulls/${pull.number}`,
    state: pull.state,
    merged: pull.merged,
    title: pull.title,
    body: pull.body,
    head: { ref: pull.head, sha: repo.branches.get(pull.head) ?? "" },
    base: { ref: pull.base },
    labels: LABELS.filter((l) => pull.labels.includes(l.id)),
  });

  http.route("GET", r("/branches/(.+)"), (_q, [branch = ""]) => {
    const sha = repo.branches.get(branch);
    return sha
      ? json(200, { name: branch, commit: { id: sha } })
      : json(404, { message: "branch does not exist" });
  });
  http.route("POST", r("/branches"), (q) => {
    const { new_branch_name: name, old_ref_name: ref } = body(q) as Record<string, string>;
    if (!name) return json(422, { message: "new_branch_name is required" });
    if (repo.branches.has(name)) return json(409, { message: "The branch already exists." });
    const commit = ref ? repo.resolve(ref) : undefined;
    if (!commit) return json(404, { message: "The old branch does not exist" });
    repo.branches.set(name, commit.sha);
    return json(201, { name, commit: { id: commit.sha } });
  });
  http.route("DELETE", r("/branches/(.+)"), (_q, [branch = ""]) =>
    repo.branches.delete(branch) ? { status: 204 } : json(404, { message: "branch does not exist" }),
  );
  http.route("GET", r("/contents/(.+)"), (q, [path = ""]) => {
    const content = repo.resolve(q.query.get("ref") ?? "main")?.files.get(path);
    if (content === undefined) return notFound;
    return json(200, {
      type: "file",
      encoding: "base64",
      name: path.split("/").pop(),
      path,
      sha: blobSha(content),
      content: Buffer.from(content).toString("base64"),
    });
  });
  http.route("POST", r("/contents"), (q) => {
    const b = body(q) as {
      branch: string;
      message: string;
      author?: { name: string; email: string };
      files: { operation: string; path: string; content: string; sha?: string }[];
    };
    const head = repo.resolve(b.branch);
    if (!head) return json(404, { message: `branch does not exist [name: ${b.branch}]` });
    const files = new Map(head.files);
    for (const file of b.files) {
      const current = files.get(file.path);
      if (file.operation === "create" && current !== undefined)
        return json(422, { message: `repository file already exists [path: ${file.path}]` });
      if (file.operation === "update" && current !== undefined && file.sha !== blobSha(current))
        return json(422, {
          message: `sha does not match [given: ${file.sha}, expected: ${blobSha(current)}]`,
        });
      files.set(file.path, Buffer.from(file.content, "base64").toString("utf8"));
    }
    const commit = repo.commit(
      [head.sha],
      files,
      b.message,
      b.author ?? { name: "token owner", email: "o@example.test" },
    );
    repo.branches.set(b.branch, commit.sha);
    return json(201, { files: [], commit: { sha: commit.sha } });
  });
  http.route("GET", r("/git/trees/(.+)"), (q, [ref = ""]) => {
    const files = repo.resolve(ref)?.files;
    if (!files) return notFound;
    const page = Number(q.query.get("page") ?? 1);
    const perPage = Number(q.query.get("per_page") ?? 1000);
    const all = [...files.keys()].map((path) => ({ path, type: "blob", mode: "100644" }));
    return json(200, {
      tree: all.slice((page - 1) * perPage, page * perPage),
      truncated: all.length > page * perPage,
      page,
    });
  });
  http.route("GET", r("/labels"), () => json(200, LABELS));
  const pullAt = (n: string | undefined) => pulls.find((p) => p.number === Number(n));
  http.route("GET", r("/pulls/(\\d+)"), (_q, [n]) => {
    const pull = pullAt(n);
    return pull ? json(200, pullJson(pull)) : notFound;
  });
  http.route("GET", r("/pulls/([^/]+)/(.+)"), (_q, [baseBranch, head]) => {
    const found = pulls.filter((p) => p.base === baseBranch && p.head === head).at(-1);
    return found ? json(200, pullJson(found)) : notFound;
  });
  http.route("POST", r("/pulls"), (q) => {
    const b = body(q) as { head: string; base: string; title: string; body: string; labels?: number[] };
    if (!repo.branches.has(b.head)) return json(404, { message: "head branch does not exist" });
    if (pulls.some((p) => p.head === b.head && p.state === "open"))
      return json(409, { message: "pull request already exists for these targets" });
    const pull: GiteaPull = {
      number: pulls.length + 1,
      title: b.title,
      body: b.body,
      head: b.head,
      base: b.base,
      state: "open",
      merged: false,
      labels: b.labels ?? [],
      reviewers: [],
    };
    pulls.push(pull);
    return json(201, pullJson(pull));
  });
  http.route("PATCH", r("/pulls/(\\d+)"), (q, [n]) => {
    const pull = pullAt(n);
    if (!pull) return notFound;
    const b = body(q) as Record<string, string | undefined>;
    if (b.title !== undefined) pull.title = b.title;
    if (b.body !== undefined) pull.body = b.body;
    if (b.state === "closed") pull.state = "closed";
    return json(201, pullJson(pull));
  });
  http.route("POST", r("/pulls/(\\d+)/requested_reviewers"), (q, [n]) => {
    const pull = pullAt(n);
    if (!pull) return notFound;
    pull.reviewers.push(...((body(q).reviewers as string[]) ?? []));
    return json(201, []);
  });

  return { ...http, token, repo, pulls };
}
