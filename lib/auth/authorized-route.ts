import "server-only";
import { requestClient } from "@/lib/audit/request-client";
import { AppError } from "@/lib/errors/app-error";
import { authorize } from "./authorize";
import { requestIsSameOrigin } from "./check-origin";
import { getRequestPrincipal } from "./get-current-principal";
import type { Permission } from "./permissions";
import type { NamespaceRef, Principal } from "./principal";

// The one way to write a route handler that needs a user: load the session from the request's cookie,
// refuse cross-origin mutations (CSRF), authorize, then run. Errors become JSON with the AppError's status.

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (request: Request, context: { principal: Principal; params: P }) => Promise<Response>;

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function problem(status: number, error: string) {
  return Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });
}

type Gate<P> = { ok: true; principal: Principal; params: P } | { ok: false; response: Response };

export function authorizedRoute<P = Record<string, never>>(
  permission: Permission,
  handler: Handler<P>,
  options: { resource?: (request: Request, params: P) => NamespaceRef | undefined } = {},
) {
  const gate = async (request: Request, context?: RouteContext<P>): Promise<Gate<P>> => {
    if (!safeMethods.has(request.method) && !requestIsSameOrigin(request.headers)) {
      return { ok: false, response: problem(403, "cross-origin request refused") };
    }
    const params = ((await context?.params) ?? {}) as P;
    const principal = await getRequestPrincipal(request);
    const decision = authorize(principal, permission, options.resource?.(request, params));
    if (!decision.allowed) {
      return {
        ok: false,
        response: problem(
          decision.status,
          decision.reason === "unauthenticated" ? "sign in first" : decision.reason,
        ),
      };
    }
    return { ok: true, principal: { ...principal!, client: requestClient(request.headers) }, params };
  };

  const route = async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    try {
      const passed = await gate(request, context);
      if (!passed.ok) return passed.response;
      return await handler(request, { principal: passed.principal, params: passed.params });
    } catch (error) {
      if (error instanceof AppError) return problem(error.status, error.message);
      throw error;
    }
  };
  // `check` runs everything but the handler: the authorization matrix test uses it on every route.
  const check = async (request: Request, context?: RouteContext<P>): Promise<number> => {
    const passed = await gate(request, context);
    return passed.ok ? 200 : passed.response.status;
  };
  return Object.assign(route, { permission, check });
}
