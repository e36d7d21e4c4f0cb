import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { loadPrincipal } from "./load-principal";
import { readCookie, sessionCookieName } from "./session-cookie";

/** The signed-in principal of the current page render or server action (one lookup per request). */
export const getCurrentPrincipal = cache(async () => {
  const token = (await cookies()).get(sessionCookieName())?.value;
  return loadPrincipal(getPrismaOrThrow(), token);
});

/** The signed-in principal of a route handler's request. */
export function getRequestPrincipal(request: Request) {
  return loadPrincipal(getPrismaOrThrow(), readCookie(request.headers.get("cookie"), sessionCookieName()));
}
