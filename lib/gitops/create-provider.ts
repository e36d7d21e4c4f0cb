import "server-only";

import path from "node:path";

import { AppError } from "@/lib/errors/app-error";
import { gitAllowedHostsSchema, gitHostProblem } from "@/lib/validations/git-hosts";
import {
  gitCredentialEnvProblem,
  gitopsRepositorySchema,
  type GitopsRepository,
} from "@/lib/validations/gitops";

import { createGiteaProvider } from "./gitea-provider";
import { createGitHubProvider } from "./github-provider";
import { createGitLabProvider } from "./gitlab-provider";
import { createPlainGitProvider } from "./plain-git-provider";
import type { GitProvider } from "./provider";

/** With nothing configured: the local repository the sandbox's GitOps emulation applies. */
export function defaultGitopsRepository(dataDir: string): GitopsRepository {
  return gitopsRepositorySchema.parse({
    provider: "plain-git",
    remote: path.resolve(dataDir, "gitops"),
    pathTemplates: ["{cluster}/{namespace}/{name}.sealedsecret.yaml"],
  });
}

/**
 * Reads the credential the settings name, from the reserved SEALDECK_GIT_* namespace only: settings stored
 * before that rule must not reach another variable either. Errors name the variable, never a value.
 */
export function secretFromEnv(
  name: string,
  env: Record<string, string | undefined>,
  repository: string,
): string {
  const problem = gitCredentialEnvProblem(name);
  if (problem)
    throw new AppError(
      "forbidden",
      `The credentials for ${repository} are refused: their environment variable ${name} ${problem}. An administrator must change it in Settings.`,
    );
  const value = env[name];
  if (!value)
    throw new AppError(
      "unavailable",
      `The credentials for ${repository} are missing: set the environment variable ${name} on the server.`,
    );
  return value;
}

/** Refuses a repository whose host the operator has not allowed (SEALDECK_GIT_ALLOWED_HOSTS), before any request. */
export function assertHostAllowed(
  repository: GitopsRepository,
  env: Record<string, string | undefined>,
): void {
  const configured = env.SEALDECK_GIT_ALLOWED_HOSTS;
  const allowed = configured ? gitAllowedHostsSchema.safeParse(configured) : null;
  if (allowed && !allowed.success)
    throw new AppError("unavailable", "SEALDECK_GIT_ALLOWED_HOSTS is not valid; no Git host is contacted.");
  const problem = gitHostProblem(repository, allowed?.data);
  if (problem)
    throw new AppError(
      "forbidden",
      `Repository ${repository.id} ${problem}. Nothing was sent to it; an administrator must fix it in Settings.`,
    );
}

/** Builds the provider for a repository from validated settings and the server's environment. */
export function createProvider(
  repository: GitopsRepository,
  env: Record<string, string | undefined> = process.env,
  options: { cacheDir?: string } = {},
): GitProvider {
  assertHostAllowed(repository, env);
  switch (repository.provider) {
    case "plain-git":
      return createPlainGitProvider({ remote: repository.remote, cacheDir: options.cacheDir });
    case "github": {
      const { auth } = repository;
      return createGitHubProvider({
        baseUrl: repository.baseUrl,
        repository: repository.repository,
        credentials:
          auth.type === "token"
            ? { type: "token", token: secretFromEnv(auth.tokenEnv, env, repository.repository) }
            : {
                type: "github-app",
                appId: auth.appId,
                installationId: auth.installationId,
                privateKey: secretFromEnv(auth.privateKeyEnv, env, repository.repository).replace(
                  /\\n/g,
                  "\n",
                ),
              },
      });
    }
    case "gitlab":
      return createGitLabProvider({
        baseUrl: repository.baseUrl,
        repository: repository.repository,
        token: secretFromEnv(repository.auth.tokenEnv, env, repository.repository),
      });
    case "gitea":
      return createGiteaProvider({
        baseUrl: repository.baseUrl,
        repository: repository.repository,
        token: secretFromEnv(repository.auth.tokenEnv, env, repository.repository),
      });
  }
}
