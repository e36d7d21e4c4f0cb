import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { requestClient } from "@/lib/audit/request-client";
import { AppError } from "@/lib/errors/app-error";
import { authorize } from "./authorize";
import { requestIsSameOrigin } from "./check-origin";
import { getCurrentPrincipal } from "./get-current-principal";
import type { Permission } from "./permissions";
import type { NamespaceRef, Principal } from "./principal";

// The one way to write a server action (after dub's safe-action chain): check the Origin, load the
// session, validate the input with zod, authorize (deny by default), then run. The result is a plain
// object the client can render; an AppError's message is safe to show, anything else is hidden.

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };

type ActionDefinition<S extends z.ZodType, T> = {
  permission: Permission;
  input: S;
  /** The namespace the action touches, for namespace-scoped permissions. */
  resource?: (input: z.infer<S>) => NamespaceRef | undefined;
  run: (input: z.infer<S>, context: { principal: Principal }) => Promise<T>;
};

const denialMessages = {
  unauthenticated: "You are signed out. Sign in again, then retry.",
  forbidden: "Your role does not allow this.",
  password_change_required: "Change your one-time password first.",
} as const;

type Gate<T> =
  | { ok: true; principal: Principal; input: T }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string[]> };

export function authorizedAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>) {
  const gate = async (raw: unknown): Promise<Gate<z.infer<S>>> => {
    const requestHeaders = await headers();
    if (!requestIsSameOrigin(requestHeaders)) {
      return { ok: false, status: 403, error: "This request did not come from Sealdeck's own pages." };
    }
    const principal = await getCurrentPrincipal();
    // Who you are and what your role allows is decided before the input is even looked at...
    const decision = authorize(principal, definition.permission);
    if (!decision.allowed)
      return { ok: false, status: decision.status, error: denialMessages[decision.reason] };
    const parsed = definition.input.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
      return { ok: false, status: 422, error: "Some fields are not valid.", fieldErrors };
    }
    // ...and the namespace, when there is one, once the input is known to be well formed.
    const resource = definition.resource?.(parsed.data);
    const scoped = resource ? authorize(principal, definition.permission, resource) : decision;
    if (!scoped.allowed) return { ok: false, status: scoped.status, error: denialMessages[scoped.reason] };
    return {
      ok: true,
      principal: { ...principal!, client: requestClient(requestHeaders) },
      input: parsed.data,
    };
  };

  const action = async (raw: unknown): Promise<ActionResult<T>> => {
    try {
      const passed = await gate(raw);
      if (!passed.ok) return passed;
      return { ok: true, data: await definition.run(passed.input, { principal: passed.principal }) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, status: error.status, error: error.message };
      throw error;
    }
  };
  // `check` runs everything but the body: the authorization matrix test uses it on every action.
  const check = async (raw: unknown): Promise<number> => {
    const passed = await gate(raw);
    return passed.ok ? 200 : passed.status;
  };
  return Object.assign(action, { permission: definition.permission, check });
}
