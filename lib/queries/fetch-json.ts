import { AppError, type AppErrorCode, appErrorStatus } from "@/lib/errors/app-error";

const codeFor = (status: number): AppErrorCode =>
  (Object.entries(appErrorStatus).find(([, s]) => s === status)?.[0] as AppErrorCode | undefined) ??
  (status >= 500 ? "internal" : "bad_request");

/** GET JSON from our own API; failures become AppError with the server's message and HTTP status. */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { Accept: "application/json" }, cache: "no-store" });
  if (!response.ok) {
    let message = `Request failed (${response.status})`;
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === "string") message = body.error;
    } catch {
      // not JSON; keep the generic message
    }
    throw new AppError(codeFor(response.status), message);
  }
  return (await response.json()) as T;
}

/** React Query retry policy: a 401/403/404/422 will not change by asking again. */
export function retryUnlessDenied(failureCount: number, error: unknown): boolean {
  const status = error instanceof AppError ? error.status : 0;
  if (status === 401 || status === 403 || status === 404 || status === 422) return false;
  return failureCount < 2;
}
