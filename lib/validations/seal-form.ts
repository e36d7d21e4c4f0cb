import { z } from "zod";
import { namespaceSchema, secretKeySchema, secretNameSchema } from "@/lib/sealing/validate-secret";
import { sealingScopes } from "./secret-record";

// The seal form as the browser holds it before sealing. Values stay in the page: this schema sees only
// whether a key has a value and how large it is, never the value itself, so its messages cannot quote one.

export const sealFormSecretTypes = [
  "Opaque",
  "kubernetes.io/tls",
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/basic-auth",
] as const;
export type SealFormSecretType = (typeof sealFormSecretTypes)[number];

/** Keys each type needs, pre-filled when the type is chosen (Kubernetes' ValidateSecret rules). */
export const requiredKeysByType: Record<SealFormSecretType, readonly string[]> = {
  Opaque: [],
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/basic-auth": ["username", "password"],
};

const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label or annotation key: `[prefix/]name`, as Kubernetes' IsQualifiedName. */
export const metadataKeySchema = z
  .string()
  .min(1, "must not be empty")
  .refine((key) => {
    const parts = key.split("/");
    if (parts.length > 2) return false;
    const name = parts.at(-1) ?? "";
    const prefix = parts.length === 2 ? parts[0]! : undefined;
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
    return name.length <= 63 && QUALIFIED_NAME.test(name);
  }, "must be a name of at most 63 letters, digits, '-', '_' or '.', optionally after a DNS prefix and '/'");

/** A label value: empty, or at most 63 characters starting and ending with a letter or digit. */
export const labelValueSchema = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, "must be letters, digits, '-', '_' or '.'");

export const annotationValueSchema = z.string().max(262_144, "must be at most 256 KiB");

const pair = (value: z.ZodType<string>) => z.object({ key: metadataKeySchema, value });

export const sealFormSchema = z
  .object({
    clusters: z.array(z.string().min(1)).min(1, "Choose at least one cluster.").max(20),
    namespace: namespaceSchema,
    name: secretNameSchema,
    type: z.enum(sealFormSecretTypes),
    scope: z.enum(sealingScopes),
    entries: z
      .array(
        z.object({
          key: secretKeySchema,
          /** Bytes of the value held in the page; 0 when nothing was typed, uploaded or generated. */
          size: z.number().int().min(1, "needs a value (type it, upload a file or generate one)"),
        }),
      )
      .min(1, "Add at least one key.")
      .max(500),
    labels: z.array(pair(labelValueSchema)).max(50),
    annotations: z.array(pair(annotationValueSchema)).max(50),
    reason: z.string().trim().max(500, "must be at most 500 characters"),
    ticket: z.string().trim().max(100, "must be at most 100 characters"),
  })
  .superRefine((form, ctx) => {
    const seen = new Map<string, number>();
    form.entries.forEach((entry, index) => {
      if (seen.has(entry.key))
        ctx.addIssue({ code: "custom", path: ["entries", index, "key"], message: "appears more than once" });
      seen.set(entry.key, index);
    });
    for (const field of ["labels", "annotations"] as const) {
      const keys = new Set<string>();
      form[field].forEach((item, index) => {
        if (keys.has(item.key))
          ctx.addIssue({ code: "custom", path: [field, index, "key"], message: "appears more than once" });
        keys.add(item.key);
      });
    }
  });

export type SealFormValues = z.input<typeof sealFormSchema>;

/** Issues by dotted path (`entries.0.key`), first message each, for showing next to fields. */
export function sealFormErrors(values: SealFormValues): Record<string, string> {
  const result = sealFormSchema.safeParse(values);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join(".");
    errors[path] ??= issue.message;
  }
  return errors;
}

/**
 * `/seal?cluster=a&cluster=b&namespace=&name=&rotate=k1,k2[&campaign=<id>]`: what a Rotate link asks the
 * form to do; `campaign` when it came from a re-seal campaign (the form may then add to its pull request).
 */
export const rotateRequestSchema = z.object({
  clusters: z.array(z.string().min(1).max(253)).min(1).max(20),
  namespace: namespaceSchema,
  name: secretNameSchema,
  keys: z.array(secretKeySchema).min(1).max(500),
  campaign: z.uuid().optional(),
});
export type RotateRequest = z.infer<typeof rotateRequestSchema>;

/** The rotate request in a page's search params, or null when it is not one (or not a valid one). */
export function parseRotateRequest(
  params: Record<string, string | string[] | undefined>,
): RotateRequest | null {
  const list = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(","));
  if (params.rotate === undefined) return null;
  // A campaign id that is not one is dropped: the rotation still works, only without the campaign's choice.
  const campaign = z.uuid().safeParse(list(params.campaign)[0]);
  const parsed = rotateRequestSchema.safeParse({
    clusters: [
      ...new Set(
        list(params.cluster)
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ],
    namespace: list(params.namespace)[0] ?? "",
    name: list(params.name)[0] ?? "",
    keys: [
      ...new Set(
        list(params.rotate)
          .map((k) => k.trim())
          .filter(Boolean),
      ),
    ],
    ...(campaign.success ? { campaign: campaign.data } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/** The /seal URL that opens the form to rotate `keys` of one secret on `clusters`. */
export function rotateHref(request: RotateRequest): string {
  const query = new URLSearchParams();
  for (const cluster of request.clusters) query.append("cluster", cluster);
  query.set("namespace", request.namespace);
  query.set("name", request.name);
  query.set("rotate", request.keys.join(","));
  if (request.campaign) query.set("campaign", request.campaign);
  return `/seal?${query.toString()}`;
}
