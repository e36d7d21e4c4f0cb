import "server-only";

import { expect } from "vitest";

import { AppError, type AppErrorCode } from "@/lib/errors/app-error";

import type { GitProvider } from "../provider";
import type { GitFailureReason } from "../provider-error";

export type ProviderErrorCase = readonly [
  run: () => Promise<unknown>,
  code: AppErrorCode,
  reason: GitFailureReason,
];

/**
 * The error contract every provider keeps: a rejected token is `unauthenticated`, and each failing call
 * rejects with an AppError of the expected code and reason; neither its message nor its details hold the
 * token in use. `connect` builds the provider under test for a token.
 */
export async function expectProviderErrors(
  connect: (token: string) => GitProvider,
  token: string,
  cases: readonly ProviderErrorCase[],
) {
  const wrongToken: ProviderErrorCase = [
    () => connect(`${token}x`).getBranchHead("main"),
    "unauthenticated",
    "auth",
  ];
  for (const [index, [run, code, reason]] of [wrongToken, ...cases].entries()) {
    const error = (await run().catch((e: unknown) => e)) as AppError;
    expect(error, `case ${index}`).toBeInstanceOf(AppError);
    expect([error.code, error.details?.reason], `case ${index}`).toEqual([code, reason]);
    expect(`${error.message}${JSON.stringify(error.details)}`, `case ${index}`).not.toContain(token);
  }
}
