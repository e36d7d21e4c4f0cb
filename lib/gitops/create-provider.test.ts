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
      auth: { type: "token", tokenEnv: "GITHUB_TOKEN" },
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
      auth: { type: "token", tokenEnv: "GITLAB_TOKEN" },
    };
    expect(bad(base)).toBe(true);
    expect(bad({ ...base, auth: { type: "token", tokenEnv: "glpat-abcdef1234567890" } })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["{cluster}/{secret}.yaml"] })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["../outside/{name}.yaml"] })).toBe(false);
    expect(bad({ ...base, pathTemplates: ["{name}.txt"] })).toBe(false);
    expect(bad({ ...base, baseBranch: "main..x" })).toBe(false);
    expect(bad({ ...base, baseUrl: "ftp://gitlab.example.test" })).toBe(false);
    expect(
      bad({ provider: "gitea", repository: "acme/deploy", auth: { type: "token", tokenEnv: "GITEA_TOKEN" } }),
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
      auth: { type: "token", tokenEnv: "SEALDECK_GITEA_TOKEN" },
    });
    expect(createProvider(settings, { SEALDECK_GITEA_TOKEN: "not-a-real-token" }).kind).toBe("gitea");
    const error = (() => {
      try {
        createProvider(settings, {});
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toBe(
      "The credentials for acme/deploy are missing: set the environment variable SEALDECK_GITEA_TOKEN on the server.",
    );
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
