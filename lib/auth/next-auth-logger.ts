import "server-only";
import type { AuthOptions } from "next-auth";
import { logger } from "@/lib/log/logger";
import { currentAuthRequest } from "./auth-request-context";
import { classifySsoFailure } from "./classify-sso-failure";

// next-auth's logger, as pino JSON instead of `[next-auth][error]` text. Only the code, the error's
// name, message and code, and the provider id are logged: next-auth's metadata can hold tokens and
// profiles (PROFILE_DATA, OAUTH_CALLBACK_HANDLER_ERROR's body), so it is never passed through whole.

const ssoFailureCodes = new Set([
  "OAUTH_CALLBACK_ERROR",
  "SIGNIN_OAUTH_ERROR",
  "OAUTH_CALLBACK_HANDLER_ERROR",
]);

function errorOf(metadata: unknown): { name?: string; message?: string; code?: string } | undefined {
  const candidate =
    metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
  if (!(candidate instanceof Error)) return undefined;
  const code = (candidate as { code?: unknown }).code;
  return { name: candidate.name, message: candidate.message, ...(typeof code === "string" ? { code } : {}) };
}

function providerOf(metadata: unknown): string | undefined {
  const id = (metadata as { providerId?: unknown } | undefined)?.providerId;
  return typeof id === "string" ? id : undefined;
}

export const nextAuthLogger: NonNullable<AuthOptions["logger"]> = {
  error(code, metadata) {
    const error = errorOf(metadata);
    const provider = providerOf(metadata);
    const context = currentAuthRequest();
    if (ssoFailureCodes.has(code) && context && !context.failure) {
      context.failure = { reason: classifySsoFailure(error), provider: provider ?? "unknown" };
    }
    logger.error(
      { component: "next-auth", code, provider, error, reason: context?.failure?.reason },
      "sign-in error",
    );
  },
  warn(code) {
    logger.warn({ component: "next-auth", code }, "next-auth warning");
  },
  debug(code) {
    logger.debug({ component: "next-auth", code }, "next-auth debug");
  },
};
