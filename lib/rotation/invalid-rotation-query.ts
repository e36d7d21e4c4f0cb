import "server-only";
import type { z } from "zod";

/** 422 naming each invalid query parameter (never echoing its value). */
export function invalidRotationQuery(error: z.ZodError): Response {
  return Response.json(
    {
      error: "invalid query",
      issues: error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    },
    { status: 422, headers: { "Cache-Control": "no-store" } },
  );
}
