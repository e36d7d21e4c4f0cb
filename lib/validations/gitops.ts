import { z } from "zod";

// Where Sealdeck proposes changes: one Git repository per entry in Settings. Credentials are referenced
// by the NAME of an environment variable, so a token never sits in settings, the database or a log.

export const gitProviderKinds = ["plain-git", "github", "gitlab", "gitea"] as const;
export type GitProviderKind = (typeof gitProviderKinds)[number];

/** An environment variable name such as `GITHUB_TOKEN`: the reference, never the value. */
export const envVarNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, "must be an environment variable name (A-Z, 0-9, _), not a token");

/**
 * Git credentials are read only from variables in this namespace, which the operator reserves for them:
 * a repository's settings could otherwise name DATABASE_URL or NEXTAUTH_SECRET and have the server send
 * it to a Git host as a token.
 */
export const GIT_CREDENTIAL_ENV_PREFIX = "SEALDECK_GIT_";

/** Sealdeck's own settings inside that namespace: configuration, never a credential. */
export const gitConfigEnvNames = [
  "SEALDECK_GIT_ALLOWED_HOSTS",
  "SEALDECK_GIT_TIMEOUT_SECONDS",
  "SEALDECK_GIT_HISTORY_INTERVAL_SECONDS",
  "SEALDECK_GIT_HISTORY_MAX_COMMITS",
  "SEALDECK_GIT_HISTORY_BUDGET_SECONDS",
] as const;

/** Why `name` may not hold a Git credential, or null when it may. Names the rule, never a value. */
export function gitCredentialEnvProblem(name: string): string | null {
  if (!/^[A-Z_][A-Z0-9_]{0,127}$/.test(name))
    return "must be an environment variable name (A-Z, 0-9, _), not a token";
  if (!name.startsWith(GIT_CREDENTIAL_ENV_PREFIX) || name.length === GIT_CREDENTIAL_ENV_PREFIX.length)
    return `must start with ${GIT_CREDENTIAL_ENV_PREFIX} (e.g. ${GIT_CREDENTIAL_ENV_PREFIX}GITHUB_TOKEN): Git credentials are read only from variables reserved for them, never the server's own`;
  if ((gitConfigEnvNames as readonly string[]).includes(name))
    return "is one of Sealdeck's settings, not a credential";
  return null;
}

/** The NAME of the variable holding a Git credential (token, private key, webhook secret). */
export const gitCredentialEnvSchema = z.string().superRefine((name, context) => {
  const problem = gitCredentialEnvProblem(name);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** `owner/name`, or a GitLab `group/subgroup/name` path. */
const repositorySchema = z
  .string()
  .trim()
  .regex(/^[\w.-]+(\/[\w.-]+)+$/, "must be owner/name (GitLab: group/…/name)");

/** A branch name git accepts (`git check-ref-format --branch`), minus the rarely used corner cases. */
export const branchNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (name) =>
      !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(name) &&
      !name.includes("..") &&
      !name.includes("@{") &&
      !name.includes("//") &&
      !name.startsWith("/") &&
      !name.startsWith("-") &&
      !name.endsWith("/") &&
      !name.endsWith(".") &&
      !name.endsWith(".lock") &&
      name !== "@",
    "is not a valid branch name",
  );

const placeholders = ["cluster", "namespace", "name", "app"] as const;
export type PathPlaceholder = (typeof placeholders)[number];

/** `apps/{app}/overlays/{namespace}/sealed-secrets.yaml`: a relative path using known placeholders only. */
export const pathTemplateSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((t) => !t.startsWith("/") && !t.split("/").includes(".."), "must be a path inside the repository")
  .refine((t) => !/[\\\x00-\x1f\x7f]/.test(t), "must not contain backslashes or control characters")
  .refine(
    (t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => placeholders.includes(m[1] as PathPlaceholder)),
    `may only use the placeholders ${placeholders.map((p) => `{${p}}`).join(" ")}`,
  )
  .refine((t) => /\.(ya?ml|json)$/.test(t), "must end in .yaml, .yml or .json");

const httpUrl = z.url({ protocol: /^https?$/ });

/** A personal or project access token read from the named environment variable. */
const tokenAuth = z.object({ type: z.literal("token"), tokenEnv: gitCredentialEnvSchema });

/** GitHub App: installation tokens are minted from the app's private key, held in the named variable. */
const githubAppAuth = z.object({
  type: z.literal("github-app"),
  appId: z.coerce.number().int().positive(),
  installationId: z.coerce.number().int().positive(),
  privateKeyEnv: gitCredentialEnvSchema,
});

const common = {
  /** Display name in Settings and in audit events. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes")
    .default("default"),
  baseBranch: branchNameSchema.default("main"),
  /** Tried in order; the first whose placeholders can all be filled wins. */
  pathTemplates: z
    .array(pathTemplateSchema)
    .max(20)
    .default(["{cluster}/{namespace}/{name}.sealedsecret.yaml"]),
  labels: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  reviewers: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  /** The first branch segment of every proposal, so Sealdeck's branches are recognisable and never clash. */
  branchPrefix: branchNameSchema.default("sealdeck"),
  /**
   * The variable holding the secret the Git host signs webhooks with (`POST /api/webhooks/<provider>`);
   * without it, states are kept fresh by polling only.
   */
  webhookSecretEnv: gitCredentialEnvSchema.optional(),
};

export const gitopsRepositorySchema = z.discriminatedUnion("provider", [
  z.object({
    ...common,
    provider: z.literal("plain-git"),
    /** Any remote git understands (`https://`, `ssh://`, `git@host:path`) or a local path. */
    remote: z
      .string()
      .trim()
      .min(1)
      .refine((r) => !r.startsWith("-"), "must be a URL or a path, not an option"),
  }),
  z.object({
    ...common,
    provider: z.literal("github"),
    /** GitHub Enterprise Server: `https://ghe.example.com/api/v3`. */
    baseUrl: httpUrl.default("https://api.github.com"),
    repository: repositorySchema,
    auth: z.discriminatedUnion("type", [tokenAuth, githubAppAuth]),
  }),
  z.object({
    ...common,
    provider: z.literal("gitlab"),
    /** Self-managed GitLab: its root URL, e.g. `https://gitlab.example.com`. */
    baseUrl: httpUrl.default("https://gitlab.com"),
    repository: repositorySchema,
    auth: tokenAuth,
  }),
  z.object({
    ...common,
    provider: z.literal("gitea"),
    /** Gitea or Forgejo root URL (the API lives under `/api/v1`). */
    baseUrl: httpUrl,
    repository: repositorySchema,
    auth: tokenAuth,
  }),
]);

export type GitopsRepositoryInput = z.input<typeof gitopsRepositorySchema>;
export type GitopsRepository = z.output<typeof gitopsRepositorySchema>;
