import { describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";

import { createProvider, defaultGitopsRepository } from "./create-provider";
import { providerError, scrubMessage } from "./provider-error";

describe("gitops settings and provider creation", () => {
  it("validates settings: env var names only, known placeholders, paths inside the repository", () => {
    const ok = gitopsRepositorySchema.parse({
      provider: "github",
      repository: "acme/deploy",
      auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITHUB_TOKEN" },
      labels: ["sealed-secrets"],
    });
    expect(ok).toMatchObject({
      baseUrl: "https://api.github.com",
      baseBranch: "main",
      branchPrefix: "sealdeck",
      pathTemplates: ["{cluster}/{namespace}/{name}.sealedsecret.yaml"],
      reviewers: [],
    });
    const bad = (value: Record<string, unknown>) => gitopsRepositorySchema.safeParse(value).success;
    const base = {
      provider: "gitlab",
      repository: "group/sub/project",
      auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITLAB_TOKEN" },
    };
    expect(bad(base)).toBe(true);
    expect(bad({ ...base, auth: { type: "token", tokenEnv: "glpat-abcdef1234567890" } })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["{cluster}/{secret}.yaml"] })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["../outside/{name}.yaml"] })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["{name}.txt"] })).toBe(false);
    expect(bad({ ...base, baseBranch: "main..x" })).toBe(false);
    expect(bad({ ...base, baseUrl: "ftp://gitlab.example.test" })).toBe(false);
    expect(
      bad({
        provider: "gitea",
        repository: "acme/deploy",
        auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITEA_TOKEN" },
      }),
    ).toBe(false);
  });

  it("defaults to the local .data/gitops repository with plain git", () => {
    const repo = defaultGitopsRepository("/srv/sealdeck/.data");
    expect(repo).toMatchObject({
      provider: "plain-git",
      remote: "/srv/sealdeck/.data/gitops",
      baseBranch: "main",
    });
    expect(createProvider(repo, {}).kind).toBe("plain-git");
  });

  it("reads the token from the named variable and names only the variable when it is missing", () => {
    const settings = gitopsRepositorySchema.parse({
      provider: "gitea",
      baseUrl: "https://gitea.example.test",
      repository: "acme/deploy",
      auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITEA_TOKEN" },
    });
    const hosts = { SEALDECK_GIT_ALLOWED_HOSTS: "gitea.example.test" };
    expect(createProvider(settings, { ...hosts, SEALDECK_GIT_GITEA_TOKEN: "not-a-real-token" }).kind).toBe(
      "gitea",
    );
    const error = (() => {
      try {
        createProvider(settings, hosts);
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toBe(
      "The credentials for acme/deploy are missing: set the environment variable SEALDECK_GIT_GITEA_TOKEN on the server.",
    );
  });

  it("refuses credential variables outside SEALDECK_GIT_ in settings, naming the rule", () => {
    const token = (tokenEnv: string) =>
      gitopsRepositorySchema.safeParse({
        provider: "github",
        repository: "acme/deploy",
        auth: { type: "token", tokenEnv },
      });
    for (const name of ["DATABASE_URL", "NEXTAUTH_SECRET", "GITHUB_TOKEN", "SEALDECK_GITHUB_CLIENT_SECRET"]) {
      const result = token(name);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({
        path: ["auth", "tokenEnv"],
        message: expect.stringContaining("must start with SEALDECK_GIT_"),
      });
    }
    expect(token("SEALDECK_GIT_").success).toBe(false);
    expect(token("SEALDECK_GIT_ALLOWED_HOSTS").error?.issues[0]?.message).toMatch(/not a credential/);
    expect(
      gitopsRepositorySchema.safeParse({
        provider: "gitlab",
        repository: "acme/deploy",
        auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITLAB_TOKEN" },
        webhookSecretEnv: "NEXTAUTH_SECRET",
      }).error?.issues[0]?.path,
    ).toEqual(["webhookSecretEnv"]);
    expect(
      gitopsRepositorySchema.safeParse({
        provider: "github",
        repository: "acme/deploy",
        auth: { type: "github-app", appId: 1, installationId: 2, privateKeyEnv: "DATABASE_URL" },
      }).success,
    ).toBe(false);
  });

  it("never reads a variable outside SEALDECK_GIT_ from a row stored before the rule", () => {
    const secret = "postgres://sealdeck:not-a-real-password@db/sealdeck";
    const env = { DATABASE_URL: secret, NEXTAUTH_SECRET: secret };
    const stored = (auth: Record<string, unknown>) =>
      ({
        id: "legacy",
        provider: "github",
        baseUrl: "https://api.github.com",
        repository: "acme/deploy",
        auth,
      }) as never;
    for (const auth of [
      { type: "token", tokenEnv: "DATABASE_URL" },
      { type: "github-app", appId: 1, installationId: 2, privateKeyEnv: "NEXTAUTH_SECRET" },
    ]) {
      const error = (() => {
        try {
          createProvider(stored(auth), env);
        } catch (e) {
          return e;
        }
      })() as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe("forbidden");
      expect(error.message).toContain(auth.type === "token" ? "DATABASE_URL" : "NEXTAUTH_SECRET");
      expect(error.message).toContain("must start with SEALDECK_GIT_");
      expect(error.message).not.toContain("not-a-real-password");
    }
  });

  it("refuses a Git host the operator has not allowed before any request", () => {
    const env = { SEALDECK_GIT_TOKEN: "not-a-real-token" };
    const repo = (baseUrl: string) =>
      gitopsRepositorySchema.parse({
        id: "forge",
        provider: "github",
        baseUrl,
        repository: "acme/deploy",
        auth: { type: "token", tokenEnv: "SEALDECK_GIT_TOKEN" },
      });
    expect(createProvider(repo("https://api.github.com"), env).kind).toBe("github");
    // Unset: the public GitHub API only.
    expect(() => createProvider(repo("https://attacker.example/api/v3"), env)).toThrow(
      /Repository forge uses the Git host attacker\.example, which is not allowed/,
    );
    const pinned = { ...env, SEALDECK_GIT_ALLOWED_HOSTS: "ghe.example.com" };
    expect(createProvider(repo("https://ghe.example.com/api/v3"), pinned).kind).toBe("github");
    expect(() => createProvider(repo("https://api.github.com"), pinned)).toThrow(
      expect.objectContaining({ code: "forbidden", message: expect.stringContaining("api.github.com") }),
    );
    // Plain git: the default local repository stays usable under any allow-list.
    expect(createProvider(defaultGitopsRepository("/srv/sealdeck/.data"), pinned).kind).toBe("plain-git");
    expect(() =>
      createProvider(
        gitopsRepositorySchema.parse({
          id: "ssh",
          provider: "plain-git",
          remote: "git@elsewhere.example:a/b",
        }),
        pinned,
      ),
    ).toThrow(/elsewhere\.example/);
  });

  it("scrubs credentials from upstream messages", () => {
    const token = `ghp_${"x".repeat(36)}`;
    expect(
      scrubMessage(`bad token ${token} for https://user:${token}@github.com/acme`, [token]),
    ).not.toContain(token);
    expect(scrubMessage("Authorization: Bearer abc.def.ghi failed")).toBe(
      "Authorization: Bearer [redacted] failed",
    );
    expect(scrubMessage("commit 0123456789abcdef0123456789abcdef01234567 is kept")).toContain(
      "0123456789abcdef0123456789abcdef01234567",
    );
    const error = providerError({
      host: "GitHub",
      operation: "read branch main",
      status: 401,
      upstream: `no ${token}`,
      secrets: [token],
    });
    expect(error.message).not.toContain(token);
    expect(error).toMatchObject({ code: "unauthenticated", status: 401 });
  });
});
