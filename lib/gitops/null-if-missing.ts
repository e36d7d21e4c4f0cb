import "server-only";

import { AppError } from "@/lib/errors/app-error";

/**
 * The work's result, or null when the host answered "not found". Providers map every failure to AppError
 * first (see provider-error.ts), so a missing file, branch or pull request is `not_found` on every host,
 * and `GitProvider` reports it as null.
 */
export async function nullIfMissing<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}
