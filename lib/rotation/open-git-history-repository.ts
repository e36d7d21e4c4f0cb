import "server-only";

import { createHash } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

import { App, Octokit } from "octokit";

import { AppError } from "@/lib/errors/app-error";
import { assertHostAllowed, secretFromEnv } from "@/lib/gitops/create-provider";
import { repositoryUrls } from "@/lib/gitops/select-repository";
import { runGit } from "@/lib/gitops/run-git";
import type { GitopsRepository } from "@/lib/validations/gitops";

import { git } from "./read-git-commits";

export type GitHistoryRepository =
  | { ok: true; /** A git directory holding `refs/heads/<base branch>`. */ dir: string; fetched: boolean }
  | { ok: false; reason: string };

export type OpenGitHistoryRepositoryOptions = {
  /** Where clones of remote repositories are kept (`<data dir>/git-history`). */
  cacheRoot: string;
  /** Fetch the base branch of a remote repository now; false reads the clone as last fetched. */
  fetch: boolean;
  env?: Record<string, string | undefined>;
};

/** A path on this machine rather than a URL or `user@host:path`. */
export const isLocalRemote = (remote: string) =>
  !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) && !/^[^/]+@[^/]+:/.test(remote);

/** A GitHub App installation token (valid for an hour), minted like the GitHub provider does. */
async function installationToken(
  baseUrl: string,
  auth: { appId: number; installationId: number; privateKey: string },
): Promise<string> {
  const app = new App({
    appId: auth.appId,
    privateKey: auth.privateKey,
    Octokit: Octokit.defaults({ baseUrl, throttle: { enabled: false }, retry: { enabled: false } }),
  });
  const octokit = await app.getInstallationOctokit(auth.installationId);
  const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
  return token;
}

/** The fetch URL and, for hosted providers, the Basic credentials git sends (in its environment, not argv). */
async function remoteOf(
  repository: GitopsRepository,
  env: Record<string, string | undefined>,
): Promise<{ url: string; basic?: string } | { reason: string }> {
  // The same guards as proposals: only an allowed host, only a SEALDECK_GIT_* credential.
  try {
    assertHostAllowed(repository, env);
  } catch (error) {
    return { reason: error instanceof AppError ? error.message : "its Git host is not allowed" };
  }
  if (repository.provider === "plain-git") return { url: repository.remote };
  const [web] = repositoryUrls(repository);
  if (!web) return { reason: "no clone URL is known" };
  const { auth } = repository;
  const variable = auth.type === "token" ? auth.tokenEnv : auth.privateKeyEnv;
  let secret: string;
  try {
    secret = secretFromEnv(variable, env, repository.repository);
  } catch (error) {
    return {
      reason: error instanceof AppError ? error.message : `the environment variable ${variable} is refused`,
    };
  }
  let token = secret;
  if (auth.type === "github-app" && repository.provider === "github") {
    try {
      token = await installationToken(repository.baseUrl, {
        appId: auth.appId,
        installationId: auth.installationId,
        privateKey: secret.replace(/\\n/g, "\n"),
      });
    } catch {
      // Octokit's message may quote the request; the status is all that helps here.
      return { reason: "GitHub did not issue an installation token for the app" };
    }
  }
  // GitHub takes a token as the password of `x-access-token`; GitLab and Gitea as the password of any
  // user (`oauth2` by convention).
  const user = repository.provider === "github" ? "x-access-token" : "oauth2";
  return { url: `${web}.git`, basic: Buffer.from(`${user}:${token}`).toString("base64") };
}

/**
 * The git directory whose history the backfill reads. The default plain-git repository (a local path,
 * `.data/gitops`) is read in place; any other remote is fetched (its base branch only, no tags) into a
 * bare clone of Sealdeck's own under `cacheRoot`, separate from the proposal provider's cache so the two
 * never run git in the same directory at once.
 */
export async function openGitHistoryRepository(
  repository: GitopsRepository,
  options: OpenGitHistoryRepositoryOptions,
): Promise<GitHistoryRepository> {
  if (repository.provider === "plain-git" && isLocalRemote(repository.remote)) {
    const dir = path.resolve(repository.remote);
    const exists = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) return { ok: false, reason: `${dir} does not exist yet` };
    return { ok: true, dir, fetched: false };
  }
  const remote = await remoteOf(repository, options.env ?? process.env);
  if ("reason" in remote) return { ok: false, reason: remote.reason };
  const id = createHash("sha256").update(`${repository.provider}\0${remote.url}`).digest("hex").slice(0, 16);
  const dir = path.join(options.cacheRoot, id);
  await mkdir(dir, { recursive: true });
  const probe = await runGit(["rev-parse", "--is-bare-repository"], { cwd: dir });
  if (probe.code !== 0 || probe.stdout.trim() !== "true")
    await git(dir, "prepare a clone", ["init", "--bare", "--quiet"]);
  if (!options.fetch) return { ok: true, dir, fetched: false };
  const branch = repository.baseBranch;
  const result = await runGit(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--force",
      "--",
      remote.url,
      `+refs/heads/${branch}:refs/heads/${branch}`,
    ],
    {
      cwd: dir,
      env: remote.basic
        ? {
            GIT_CONFIG_COUNT: "1",
            GIT_CONFIG_KEY_0: "http.extraHeader",
            GIT_CONFIG_VALUE_0: `Authorization: Basic ${remote.basic}`,
          }
        : {},
    },
  );
  if (result.code !== 0) {
    // git's message names the URL (never the header); strip any credentials a plain-git URL embeds.
    const message = result.stderr.trim().split("\n").slice(-1)[0] ?? "";
    return { ok: false, reason: `fetch failed: ${message.replace(/(\w+:\/\/)[^/@\s]+@/g, "$1")}` };
  }
  return { ok: true, dir, fetched: true };
}
