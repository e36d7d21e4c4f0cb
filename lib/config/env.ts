import { z } from "zod";

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

const port = z.coerce.number().int().min(1).max(65535);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** External Postgres; when unset the launcher starts an embedded one under SEALDECK_DATA_DIR. */
  DATABASE_URL: postgresUrl.optional(),
  /** Port of the web server. */
  PORT: port.default(3000),
  /** Interface the web server listens on. */
  HOSTNAME: z.string().min(1).default("localhost"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Where embedded services keep their state (Postgres data, the local Git repository). */
  SEALDECK_DATA_DIR: z.string().min(1).default(".data"),
  /** Set by the launcher: "1" when DATABASE_URL points at the embedded Postgres it started. */
  SEALDECK_DATABASE_EMBEDDED: z.enum(["0", "1"]).default("0"),
  /** "1" forces the sandbox cluster; the launcher also sets it when it starts the sandbox for lack of a kubeconfig. */
  SEALDECK_SANDBOX: z.enum(["0", "1"]).default("0"),
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
