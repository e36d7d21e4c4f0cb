import "server-only";

import { AppError, type AppErrorCode } from "@/lib/errors/app-error";

// Every Git host failure becomes one AppError whose message a developer can act on. Upstream messages
// are kept (they name the ref or file that clashed) but scrubbed first: anything that looks like a
// credential is cut, and the length is bounded.

export type GitFailureReason =
  | "auth"
  | "permission"
  | "protected-branch"
  | "rate-limit"
  | "conflict"
  | "not-found"
  | "invalid"
  | "unavailable";

export type ProviderFailure = {
  /** "GitHub", "GitLab", "Gitea", "git". */
  host: string;
  /** What Sealdeck was doing, e.g. "create branch sealdeck/prod/db". */
  operation: string;
  status?: number;
  headers?: Record<string, string | undefined>;
  /** The host's own message, if any: scrubbed before use. */
  upstream?: string;
  /** Values that must never appear in the message (the token in use). */
  secrets?: readonly string[];
};

const PROTECTED =
  /protected branch|is protected|not allowed to push|not allowed to force push|pre-receive hook declined|protected ref/i;
const RATE_LIMITED = /rate limit|secondary rate|abuse detection/i;

/** Removes credentials: known secrets, `user:pass@` in URLs, bearer/token words and long opaque strings. */
export function scrubMessage(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  out = out
    .replace(/(\w+:\/\/)[^/@\s]+@/g, "$1[redacted]@")
    .replace(/\b(bearer|token|basic)\s+[^\s,;]+/gi, "$1 [redacted]")
    .replace(/\b(gh[pousr]_|github_pat_|glpat-)[\w-]+/g, "[redacted]")
    .replace(/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, (m) =>
      /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(m) ? m : "[redacted]",
    );
  out = out.replace(/\s+/g, " ").trim();
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

function classify(failure: ProviderFailure): { reason: GitFailureReason; code: AppErrorCode } {
  const { status, upstream = "" } = failure;
  const header = (name: string) => failure.headers?.[name];
  if (status === 429 || ((status === 403 || status === 429) && header("x-ratelimit-remaining") === "0"))
    return { reason: "rate-limit", code: "rate_limited" };
  if (status === 403 && RATE_LIMITED.test(upstream)) return { reason: "rate-limit", code: "rate_limited" };
  if (PROTECTED.test(upstream)) return { reason: "protected-branch", code: "forbidden" };
  switch (status) {
    case 401:
      return { reason: "auth", code: "unauthenticated" };
    case 403:
      return { reason: "permission", code: "forbidden" };
    case 404:
      return { reason: "not-found", code: "not_found" };
    case 409:
    case 412:
      return { reason: "conflict", code: "conflict" };
    case 400:
    case 422:
      return /already exists|not a fast.forward|does not match|sha|conflict|reference update failed|has been modified|changed since/i.test(
        upstream,
      )
        ? { reason: "conflict", code: "conflict" }
        : { reason: "invalid", code: "unprocessable" };
    default:
      return status !== undefined && status < 500
        ? { reason: "invalid", code: "bad_gateway" }
        : { reason: "unavailable", code: status === undefined ? "unavailable" : "bad_gateway" };
  }
}

function retryAfterSeconds(headers: ProviderFailure["headers"]): number | undefined {
  const retryAfter = Number(headers?.["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
  const reset = Number(headers?.["x-ratelimit-reset"] ?? headers?.["ratelimit-reset"]);
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  // GitHub sends an epoch second; GitLab's RateLimit-Reset is one too, Gitea's a delay. Both read sensibly.
  const now = Math.floor(Date.now() / 1000);
  return reset > now ? reset - now : Math.ceil(reset);
}

const ADVICE: Record<GitFailureReason, string> = {
  auth: "its credentials were rejected; check the token named in Settings",
  permission: "the token lacks permission for this; it needs write access to contents and pull requests",
  "protected-branch": "the branch is protected and does not accept this push",
  "rate-limit": "the rate limit was reached",
  conflict: "someone else changed it at the same time",
  "not-found": "it was not found (or the token cannot see it)",
  invalid: "the request was refused",
  unavailable: "the host did not answer",
};

export function providerError(failure: ProviderFailure): AppError {
  const { reason, code } = classify(failure);
  const wait = reason === "rate-limit" ? retryAfterSeconds(failure.headers) : undefined;
  const upstream = failure.upstream ? scrubMessage(failure.upstream, failure.secrets) : "";
  const message =
    `${failure.host} could not ${failure.operation}: ${ADVICE[reason]}` +
    (wait !== undefined ? ` (retry in ${wait}s)` : "") +
    (upstream ? ` (${upstream})` : "") +
    ".";
  return new AppError(code, message, {
    upstream: "git",
    host: failure.host,
    reason,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
  });
}

/** A failure without an HTTP answer (network, timeout, a client library's own error): "did not answer". */
export function providerErrorWithoutAnswer(
  failure: Pick<ProviderFailure, "host" | "operation" | "secrets">,
  error: unknown,
): AppError {
  return providerError({ ...failure, upstream: error instanceof Error ? error.message : "" });
}

/** The reason of an AppError made by `providerError`, for callers that retry on conflicts. */
export function gitFailureReason(error: unknown): GitFailureReason | undefined {
  if (!(error instanceof AppError)) return undefined;
  const reason = error.details?.reason;
  return typeof reason === "string" && error.details?.upstream === "git"
    ? (reason as GitFailureReason)
    : undefined;
}
