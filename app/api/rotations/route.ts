import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getRotationSchedule, rotationVisibility } from "@/lib/rotation/get-rotation-schedule";
import { queryRotationSchedule } from "@/lib/rotation/query-rotation-schedule";
import { invalidRotationQuery } from "@/lib/rotation/invalid-rotation-query";
import { rotationQuerySchema } from "@/lib/validations/rotation";

export const dynamic = "force-dynamic";

// GET /api/rotations – every key's policy, last rotation, due date and status: filtered, sorted, paged
export const GET = authorizedRoute("rotation:read", async (request, { principal }) => {
  const parsed = rotationQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidRotationQuery(parsed.error);
  const [schedule, visible] = await Promise.all([getRotationSchedule(), rotationVisibility(principal)]);
  return Response.json(queryRotationSchedule(schedule, parsed.data, visible), {
    headers: { "Cache-Control": "no-store" },
  });
});
