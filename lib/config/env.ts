import { z } from "zod";
import { gitAllowedHostsSchema } from "@/lib/validations/git-hosts";
import { k8sAuditTokensSchema } from "./parse-k8s-audit-tokens";

// The one place that reads process.env. Both the launcher (`sealdeck dev|start`) and the Next.js server
// (instrumentation.ts) parse it at start, so a bad value stops the process before anything runs.

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL with a host");

const PUBLIC_KEY_PEM = /-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----/g;

const port = z.coerce.number().int().min(1).max(65535);

const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: "must be a comma-separated list of IP addresses or CIDR ranges",
});

/** "10.0.0.0/8, 192.168.1.7" → ["10.0.0.0/8", "192.168.1.7"]; empty entries are ignored. */
const proxyList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(proxyAddress));

/** "a, b" → ["a", "b"]; empty entries are ignored. */
const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean),
);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** External Postgres; when unset the launcher starts an embedded one under SEALDECK_DATA_DIR. */
  DATABASE_URL: postgresUrl.optional(),
  /** Port of the web server. */
  PORT: port.default(3000),
  /** Interface the web server listens on. */
  HOSTNAME: z.string().min(1).default("localhost"),
  /**
   * Reverse proxies whose X-Forwarded-For/-Host/-Proto are believed (comma-separated IPs or CIDRs). Empty:
   * the client is the socket's peer and every forwarded header a client sends is ignored.
   */
  SEALDECK_TRUSTED_PROXIES: proxyList.default([]),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Where embedded services keep their state (Postgres data, the local Git repository). */
  SEALDECK_DATA_DIR: z.string().min(1).default(".data"),
  /** Set by the launcher: "1" when DATABASE_URL points at the embedded Postgres it started. */
  SEALDECK_DATABASE_EMBEDDED: z.enum(["0", "1"]).default("0"),
  /** Set by the launcher: "1" when running against the sandbox cluster; enables the demo users (one per role). */
  SEALDECK_SANDBOX: z.enum(["0", "1"]).default("0"),
  /** How many sandbox clusters the launcher starts (contexts `sandbox`, `sandbox-2`, …). */
  SEALDECK_SANDBOX_CLUSTERS: z.coerce.number().int().min(1).max(10).default(2),
  /** GitOps history backfill (rotation evidence): seconds between fetches of remote repositories; 0 turns it off. */
  SEALDECK_GIT_HISTORY_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Seconds between background polls of open pull requests (merges seen without the Changes page); 0 turns it off. */
  SEALDECK_PROPOSAL_POLL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  /**
   * Seconds a re-seal campaign's SealedSecret must stay gone from its synced cluster, seen by two closer
   * passes at least this far apart, before it counts as removed (a GitOps tool that deletes and recreates
   * it is not taken for a deletion from Git). 0: removed when first seen gone.
   */
  SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Seconds a background job's lease lasts unrenewed: a dead replica's jobs move to another within this. */
  SEALDECK_JOB_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  /** At most this many commits per repository per backfill pass (a long history is read over several). */
  SEALDECK_GIT_HISTORY_MAX_COMMITS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  /** Seconds a backfill pass may spend on one repository before it stores its progress and yields. */
  SEALDECK_GIT_HISTORY_BUDGET_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Seconds between re-reads of each cluster's sealing controller (certificate, keys, warnings). */
  SEALDECK_CONTROLLER_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Notifications (Settings → Notifications): seconds between scheduler passes in each replica; 0 turns it off. */
  SEALDECK_NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** The sandbox's users and access rules (YAML, sandbox/README.md "Users and access"); default: the built-in demo policy. */
  SEALDECK_SANDBOX_POLICY: z.string().min(1).optional(),
  /** Ed25519 private key (PKCS#8 PEM) signing audit checkpoints; generated into the data dir when unset. */
  SEALDECK_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  /**
   * Public keys (SPKI PEM blocks, one after another) of earlier audit signing keys: their checkpoints
   * stay trusted after SEALDECK_AUDIT_SIGNING_KEY changes. Checkpoints signed by no configured key are
   * ignored by verification and retention.
   */
  SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS: z
    .string()
    .transform((value, ctx) => {
      const blocks = value.match(PUBLIC_KEY_PEM) ?? [];
      if (blocks.length === 0 || value.replace(PUBLIC_KEY_PEM, "").trim() !== "") {
        ctx.addIssue({
          code: "custom",
          message: "must be PEM public key blocks (-----BEGIN PUBLIC KEY-----)",
        });
        return z.NEVER;
      }
      return blocks;
    })
    .optional(),
  /** Signs session cookies. The launcher generates one into <data dir>/auth-secret (mode 0600) when unset. */
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The dashboard's public URL (https:// turns on Secure cookies and HSTS). The launcher derives it from HOSTNAME and PORT when unset. */
  NEXTAUTH_URL: z.url().optional(),
  /** OpenID Connect sign-in (Keycloak, Dex, Okta, Entra ID, Google...): issuer URL, client id and secret. */
  SEALDECK_OIDC_ISSUER: z.url().optional(),
  SEALDECK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  SEALDECK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Label of the OIDC button on the sign-in page. */
  SEALDECK_OIDC_NAME: z.string().min(1).default("Single sign-on"),
  /** The ID-token/userinfo claim holding the user's groups, mapped to roles in Settings. */
  SEALDECK_OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  SEALDECK_OIDC_SCOPES: z.string().min(1).default("openid email profile"),
  /**
   * External sign-ins end after this many minutes (0: at SEALDECK_SESSION_HOURS only), so the identity
   * provider is asked again and group changes reach open sessions.
   */
  SEALDECK_SSO_RECHECK_MINUTES: z.coerce.number().int().min(0).max(43_200).default(60),
  /** A first admin for an SSO-only install: identities in these groups, or with these usernames, are admins. */
  SEALDECK_SSO_ADMIN_GROUPS: commaList.default([]),
  SEALDECK_SSO_ADMIN_USERS: commaList
    .transform((users) => users.map((user) => user.toLowerCase()))
    .default([]),
  /** A YAML/JSON group mapping file applied at start; Settings then shows the mapping read-only. */
  SEALDECK_AUTH_GROUP_MAPPING: z.string().trim().min(1).optional(),
  /** GitHub OAuth app. */
  SEALDECK_GITHUB_CLIENT_ID: z.string().min(1).optional(),
  SEALDECK_GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** GitHub's web address (OAuth authorize and token); a GitHub Enterprise Server's https://HOST. */
  SEALDECK_GITHUB_URL: z.url().default("https://github.com"),
  /** GitHub's REST API; unset: api.github.com for github.com, else <SEALDECK_GITHUB_URL>/api/v3. */
  SEALDECK_GITHUB_API_URL: z.url().optional(),
  /** Sessions end this many hours after sign-in. */
  SEALDECK_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** Open live streams (the secrets list's updates) check their viewer's session and grants this often. */
  SEALDECK_STREAM_RECHECK_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  /** Local accounts lock for SEALDECK_LOCKOUT_MINUTES after this many failed sign-ins in a row. */
  SEALDECK_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SEALDECK_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /**
   * Bearer token of the Kubernetes audit webhook (POST /api/k8s-audit) accepted for ANY `?cluster=`
   * name. The endpoint is off when neither this nor SEALDECK_K8S_AUDIT_TOKENS is set.
   */
  SEALDECK_K8S_AUDIT_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * One webhook token per cluster, each accepted only with its own `?cluster=`: JSON
   * `{"prod":"<token>"}` or `prod=<token>,staging=<token>` (tokens of 32+ characters, all different).
   */
  SEALDECK_K8S_AUDIT_TOKENS: k8sAuditTokensSchema.optional(),
  /** Bearer token Prometheus sends to GET /api/metrics; unset: the endpoint answers 404. */
  SEALDECK_METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** Largest audit webhook body accepted, in bytes (413 above). Next.js' proxy buffers at most 10 MiB. */
  SEALDECK_K8S_AUDIT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * How Sealdeck talks to clusters: with its own credentials ("dashboard"), or impersonating the
   * signed-in user ("impersonate": Impersonate-User/-Group, so Kubernetes RBAC decides what each person
   * sees and may do; the kubeconfig's user needs the `impersonate` verb).
   */
  SEALDECK_KUBE_ACCESS: z.enum(["dashboard", "impersonate"]).default("dashboard"),
  /**
   * Git hosts (host[:port], comma-separated) repositories may point at; a forge's token is sent only to
   * these. Unset: GitHub and GitLab repositories may use api.github.com and gitlab.com only, plain git
   * any remote.
   */
  SEALDECK_GIT_ALLOWED_HOSTS: gitAllowedHostsSchema.optional(),
  /** Seconds one git command (clone, fetch, push) may run before it is stopped. */
  SEALDECK_GIT_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** Impersonation: prefixed to the Sealdeck username (e.g. "oidc:"), as the API server's own OIDC flags would. */
  SEALDECK_KUBE_USER_PREFIX: z.string().max(63).default(""),
});

export type Env = z.infer<typeof envSchema>;

/** Thrown when the environment is invalid; its message is one line that names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const variable = issue.path.join(".") || "environment";
  return `${variable} ${issue.message}`;
}

/** Parses an environment (process.env by default). Empty strings count as unset, like most tools. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    // The message names the variable but never echoes its value: it may hold a password.
    throw new ConfigError(`invalid environment: ${issue ? describeIssue(issue) : "unknown problem"}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The parsed process environment, read once. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
