import { z } from "zod";

import type { GitopsRepository } from "./gitops";

// Which Git hosts a repository may point at. A forge repository sends a SEALDECK_GIT_* credential to its
// baseUrl, so an administrator choosing that URL chooses who receives the token: the operator pins the
// hosts with SEALDECK_GIT_ALLOWED_HOSTS. Isomorphic: Settings checks a draft, the server checks again
// when it saves the setting and when it creates a provider.

/** Forge hosts allowed when SEALDECK_GIT_ALLOWED_HOSTS is unset: the public GitHub and GitLab APIs. */
export const DEFAULT_GIT_HOSTS = ["api.github.com", "gitlab.com"] as const;

const hostEntry =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** `SEALDECK_GIT_ALLOWED_HOSTS`: `host[:port]` entries separated by commas (or spaces), lowercased. */
export const gitAllowedHostsSchema = z
  .string()
  .transform((text) =>
    text
      .split(/[\s,]+/)
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((hosts) => hosts.length > 0, "must list at least one host[:port]")
  .refine(
    (hosts) => hosts.every((h) => hostEntry.test(h)),
    "must be host[:port] entries separated by commas (e.g. github.example.com,gitea.internal:3000), without a scheme or path",
  );

export type GitHostTarget =
  | { kind: "host"; host: string }
  /** A path or file:// URL on this server: no network, nothing to pin. */
  | { kind: "local" }
  /** `transport::address` (a git remote helper): no host that could be checked. */
  | { kind: "helper" };

/** Where plain git's remote points: a URL, scp-like `[user@]host:path`, a remote helper, or a local path. */
function plainGitTarget(remote: string): GitHostTarget {
  if (/^[a-z][a-z0-9+.-]*::/i.test(remote)) return { kind: "helper" };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(remote);
  if (scheme) {
    if (scheme[1]!.toLowerCase() === "file") return { kind: "local" };
    try {
      const host = new URL(remote).host.toLowerCase();
      return host ? { kind: "host", host } : { kind: "helper" };
    } catch {
      return { kind: "helper" };
    }
  }
  // git reads `host:path` as ssh unless a slash comes before the first colon (then it is a local path).
  const scp = /^(?:[^@/:]+@)?(\[[^\]]+\]|[^/:]+):/.exec(remote);
  if (scp) return { kind: "host", host: scp[1]!.toLowerCase() };
  return { kind: "local" };
}

/** The host (and port, when not the default) a repository's requests go to. */
export function gitHostTarget(repository: GitopsRepository): GitHostTarget {
  if (repository.provider === "plain-git") return plainGitTarget(repository.remote);
  try {
    return { kind: "host", host: new URL(repository.baseUrl).host.toLowerCase() };
  } catch {
    return { kind: "helper" };
  }
}

const listed = (host: string, allowed: readonly string[]) =>
  // github.com's API lives on api.github.com: an operator listing the site means its API.
  allowed.includes(host) || (host === "api.github.com" && allowed.includes("github.com"));

/**
 * Why `repository` may not be used under the operator's allow-list (undefined = unset), or null.
 * Unset: forges may reach the public GitHub and GitLab only (a credential would otherwise go wherever an
 * administrator points it), plain git any remote (it sends no Sealdeck-held credential). Set: every
 * remote host must be listed; local paths stay allowed.
 */
export function gitHostProblem(
  repository: GitopsRepository,
  allowed: readonly string[] | undefined,
): string | null {
  const target = gitHostTarget(repository);
  if (target.kind === "local") return null;
  if (allowed === undefined) {
    if (repository.provider === "plain-git") return null;
    if (target.kind === "host" && listed(target.host, DEFAULT_GIT_HOSTS)) return null;
    return `uses the Git host ${target.kind === "host" ? target.host : "(none)"}, which is not allowed: without SEALDECK_GIT_ALLOWED_HOSTS only ${DEFAULT_GIT_HOSTS.join(" and ")} are; the operator must list the host there`;
  }
  if (target.kind === "helper")
    return "uses a git remote helper (transport::address), which cannot be checked against SEALDECK_GIT_ALLOWED_HOSTS";
  if (listed(target.host, allowed)) return null;
  return `uses the Git host ${target.host}, which is not in SEALDECK_GIT_ALLOWED_HOSTS (${allowed.join(", ")})`;
}

/** The field a host problem belongs to, for form errors. */
export const gitHostField = (repository: GitopsRepository) =>
  repository.provider === "plain-git" ? "remote" : "baseUrl";
