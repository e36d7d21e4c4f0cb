import "server-only";

import type { Gitlab } from "@gitbeaker/rest";

// Gitbeaker's default requester retries 429 and 502 up to ten times with exponential back-off (minutes
// in total) and drops the rate-limit headers. A proposal is a user waiting on a page, so this requester
// sends each request once and hands status and headers to the provider, which turns them into AppError.

type RequesterFn = NonNullable<ConstructorParameters<typeof Gitlab>[0]["requesterFn"]>;
type ResourceOptions = Parameters<RequesterFn>[0];
type RequestOptions = {
  body?: unknown;
  searchParams?: Record<string, unknown>;
  sudo?: string | number;
  signal?: AbortSignal;
};

export class GitLabHttpError extends Error {
  override name = "GitLabHttpError";
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly description: string,
  ) {
    super(`GitLab answered ${status}`);
  }
}

/** `lastCommitId` → `last_commit_id`, recursively, as gitbeaker's own requester sends bodies. */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      snakeKeys(inner),
    ]),
  );
}

function query(params: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((snakeKeys(params ?? {}) as Record<string, unknown>) ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(`${key}[]`, String(item));
    else search.append(key, String(value));
  }
  return search.toString();
}

export function createGitLabRequester(timeoutMs = 30_000): RequesterFn {
  return (resource: ResourceOptions) => {
    const send = async (method: string, endpoint: string, options: RequestOptions = {}) => {
      const headers: Record<string, string> = { ...resource.headers };
      for (const [name, value] of Object.entries(resource.authHeaders)) headers[name] = await value();
      if (options.sudo !== undefined) headers.sudo = String(options.sudo);
      let body: string | undefined;
      if (options.body !== undefined) {
        body = JSON.stringify(snakeKeys(options.body));
        headers["content-type"] = "application/json";
      }
      const url = new URL(endpoint, resource.url.endsWith("/") ? resource.url : `${resource.url}/`);
      url.search = query(options.searchParams);
      const response = await fetch(url, {
        method,
        headers,
        body,
        signal: options.signal ?? AbortSignal.timeout(timeoutMs),
      });
      const responseHeaders = Object.fromEntries(response.headers.entries());
      const text = response.status === 204 ? "" : await response.text();
      const json =
        (response.headers.get("content-type") ?? "").includes("json") && text
          ? (JSON.parse(text) as unknown)
          : text;
      if (!response.ok) {
        const message =
          typeof json === "object" && json !== null
            ? ((json as { message?: unknown; error?: unknown }).message ??
              (json as { error?: unknown }).error)
            : json;
        throw new GitLabHttpError(
          response.status,
          responseHeaders,
          typeof message === "string" ? message : JSON.stringify(message ?? ""),
        );
      }
      return { body: json, headers: responseHeaders, status: response.status };
    };
    const bind = (method: string) => (endpoint: string, options?: RequestOptions) =>
      send(method, endpoint, options);
    // Gitbeaker's methods are generic in the body type they expect; the body is whatever GitLab sent.
    return {
      get: bind("GET"),
      post: bind("POST"),
      put: bind("PUT"),
      patch: bind("PATCH"),
      delete: bind("DELETE"),
    } as unknown as ReturnType<RequesterFn>;
  };
}
