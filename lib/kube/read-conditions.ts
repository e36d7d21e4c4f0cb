import "server-only";
import type { StatusCondition } from "@/lib/validations/secret-record";
import { arr, obj, str } from "./read-json";

/** `status.conditions` in the app's shape, whatever the controller wrote. */
export function readConditions(status: unknown): StatusCondition[] {
  return arr(obj(status).conditions).flatMap((entry) => {
    const c = obj(entry);
    const type = str(c.type);
    if (!type) return [];
    return [
      {
        type,
        status: str(c.status) ?? "Unknown",
        reason: str(c.reason) || null,
        message: str(c.message) || null,
        lastTransitionTime: str(c.lastTransitionTime) ?? str(c.lastUpdateTime),
      },
    ];
  });
}
