import "server-only";
import { OWNER_LABEL, ROTATE_EVERY_ANNOTATION } from "@/lib/validations/rotation";

const KEY_PREFIX = `${ROTATE_EVERY_ANNOTATION}.`;

/**
 * The annotations the Rotations workspace reads (max age per secret and per key, the owning team), and
 * nothing else: records go to browsers, and other annotations can be large or say more than needed.
 */
export function pickRotationAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  const picked: Record<string, string> = {};
  if (!annotations) return picked;
  for (const [name, value] of Object.entries(annotations)) {
    if (typeof value !== "string") continue;
    if (name === ROTATE_EVERY_ANNOTATION || name === OWNER_LABEL || name.startsWith(KEY_PREFIX))
      picked[name] = value.slice(0, 200);
  }
  return picked;
}
