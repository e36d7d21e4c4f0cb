import { describe, expect, it } from "vitest";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import { envNamesOf, fieldLabel, fromDraft, providerFields, toDraft } from "./repository-fields";

// The repository form is generated from the schema: every provider gets its fields, and what the form
// produces validates (defaults fill what is left empty).

const parse = (provider: string, draft: Record<string, unknown>) =>
  gitopsRepositorySchema.safeParse({ provider, ...fromDraft(providerFields[provider]!, draft as never) });

describe("repository form fields", () => {
  it("has every provider and its credential fields", () => {
    expect(Object.keys(providerFields).sort()).toEqual(["gitea", "github", "gitlab", "plain-git"]);
    const github = providerFields.github!.find((f) => f.key === "auth");
    expect(github).toMatchObject({ kind: "choice", discriminator: "type" });
    expect(fieldLabel("tokenEnv")).toBe("Token – environment variable NAME");
  });

  it("turns a filled-in GitLab draft into a valid repository, with the fixed auth type and defaults", () => {
    const draft = toDraft(providerFields.gitlab!, {});
    const auth = draft.auth as Record<string, string>;
    const result = parse("gitlab", {
      ...draft,
      id: "platform",
      repository: "platform/gitops",
      labels: "secrets\n  sealdeck \n",
      auth: { ...auth, tokenEnv: "SEALDECK_GIT_GITLAB_TOKEN" },
    });
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({
      id: "platform",
      baseUrl: "https://gitlab.com",
      baseBranch: "main",
      labels: ["secrets", "sealdeck"],
      auth: { type: "token", tokenEnv: "SEALDECK_GIT_GITLAB_TOKEN" },
    });
    expect(envNamesOf(result.data)).toEqual(["SEALDECK_GIT_GITLAB_TOKEN"]);
  });

  it("round-trips a GitHub App repository and reports a token pasted where a name belongs", () => {
    const stored = gitopsRepositorySchema.parse({
      provider: "github",
      id: "acme",
      repository: "acme/gitops",
      auth: { type: "github-app", appId: 1, installationId: 2, privateKeyEnv: "SEALDECK_GIT_ACME_KEY" },
    });
    const draft = toDraft(providerFields.github!, stored);
    expect(parse("github", draft)).toMatchObject({ success: true, data: stored });
    const bad = parse("github", { ...draft, auth: { type: "token", tokenEnv: "ghp_abc" } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["auth", "tokenEnv"] });
  });
});
