import "server-only";

import path from "node:path";

import { AppError } from "@/lib/errors/app-error";
import { gitopsRepositorySchema, type GitopsRepository } from "@/lib/validations/gitops";

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

/** Reads the credential the settings name; the error names the variable, never a value. */
function secretFromEnv(name: string, env: Record<string, string | undefined>, repository: string): string {
  const value = env[name];
  if (!value)
    throw new AppError(
      "unavailable",
      `The credentials for ${repository} are missing: set the environment variable ${name} on the server.`,
    );
  return value;
}

/** Builds the provider for a repository from validated settings and the server's environment. */
export function createProvider(
  repository: GitopsRepository,
  env: Record<string, string | undefined> = process.env,
  options: { cacheDir?: string } = {},
): GitProvider {
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
