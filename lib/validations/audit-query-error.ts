import type { z } from "zod";

/** The 422 every audit route answers an invalid query with: which parameter and why, never its value. */
export function invalidQueryResponse(error: z.ZodError): Response {
  return Response.json(
    {
      error: `invalid query: ${error.issues.map((i) => `${i.path.join(".") || "query"} ${i.message}`).join("; ")}`,
      issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    },
    { status: 422, headers: { "Cache-Control": "no-store" } },
  );
}
