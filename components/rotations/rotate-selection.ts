import type { RotationRow } from "@/lib/validations/rotation";
import { rotateHref, rotateRequestSchema } from "@/lib/validations/seal-form";

export type RotateTarget =
  { ok: true; href: string; keys: string[]; clusters: string[] } | { ok: false; problem: string };

type Rotatable = Pick<RotationRow, "kind" | "cluster" | "namespace" | "name" | "key">;

/**
 * The seal form link that rotates `rows` in one pull request: keys of one SealedSecret (the same
 * namespace/name, on one cluster or several). Anything else is refused with the reason, never guessed.
 */
export function rotateTargetOf(rows: readonly Rotatable[]): RotateTarget {
  if (rows.length === 0) return { ok: false, problem: "Select the keys to rotate." };
  if (rows.some((row) => row.kind !== "SealedSecret"))
    return {
      ok: false,
      problem:
        "Only SealedSecret keys are rotated with the seal form; an ExternalSecret rotates at its provider.",
    };
  const secrets = new Set(rows.map((row) => `${row.namespace ?? ""}/${row.name}`));
  if (secrets.size > 1)
    return { ok: false, problem: "Select keys of one secret: one pull request rotates one secret." };
  const first = rows[0]!;
  const request = rotateRequestSchema.safeParse({
    clusters: [...new Set(rows.map((row) => row.cluster))],
    namespace: first.namespace ?? "",
    name: first.name,
    keys: [...new Set(rows.map((row) => row.key))],
  });
  if (!request.success) return { ok: false, problem: "These keys cannot be rotated with the seal form." };
  return {
    ok: true,
    href: rotateHref(request.data),
    keys: request.data.keys,
    clusters: request.data.clusters,
  };
}
