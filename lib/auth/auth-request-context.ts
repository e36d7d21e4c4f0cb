import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { SsoFailureReason } from "./classify-sso-failure";

// What one request to /api/auth/* learned while next-auth handled it: next-auth reports OAuth failures
// only to its logger (a process-wide setting, shared by concurrent requests), so the logger notes them
// here, in the request's own async context, and the route audits them once next-auth has answered. On
// globalThis deliberately: Next bundles this module more than once and every copy must share the store.

export type AuthRequestContext = {
  ip: string;
  failure: { reason: SsoFailureReason; provider: string } | null;
};

const key = Symbol.for("sealdeck.auth-request-context");

function storage(): AsyncLocalStorage<AuthRequestContext> {
  const state = globalThis as { [key]?: AsyncLocalStorage<AuthRequestContext> };
  state[key] ??= new AsyncLocalStorage<AuthRequestContext>();
  return state[key];
}

export function runAuthRequest<T>(context: AuthRequestContext, run: () => Promise<T>): Promise<T> {
  return storage().run(context, run);
}

export function currentAuthRequest(): AuthRequestContext | undefined {
  return storage().getStore();
}
