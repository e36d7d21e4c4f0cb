import { z } from "zod";

// What a caller may put in an audit event. The chain fields (seq, time, prev_hash, hash) are not here:
// the database assigns them. `details` is checked for anything that looks like a secret value: the
// audit log must never hold one (ARCHITECTURE invariant 1), at most an HMAC of it (hmac-secret-value.ts).

export const AUDIT_OUTCOMES = ["success", "failure", "denied", "pending"] as const;

/** What an HMAC from hmacSecretValue() looks like; the only string allowed under a secret-ish key. */
export const HMAC_VALUE_PATTERN = /^hmac-sha256:[0-9a-f]{64}$/;

// Keys whose value would be a secret if it were anything but an HMAC.
const SECRET_KEY_PATTERN =
  /(^|[_.-])(value|values|plaintext|secret|secrets|password|passwd|token|data|stringdata|privatekey|private_key|apikey|api_key|credential|credentials)$/i;
const MAX_DETAILS_BYTES = 16 * 1024;
const MAX_STRING_LENGTH = 2048;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** Finds the first place in `value` that could hold a secret; returns its path, never the value. */
function findSecretLike(value: Json, path: string[], underSecretKey: boolean): string | undefined {
  if (typeof value === "string") {
    if (value.length > MAX_STRING_LENGTH)
      return `${path.join(".")} (string longer than ${MAX_STRING_LENGTH})`;
    if (underSecretKey && !HMAC_VALUE_PATTERN.test(value)) return path.join(".");
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretLike(item, [...path, String(index)], underSecretKey);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findSecretLike(item, [...path, key], underSecretKey || SECRET_KEY_PATTERN.test(key));
      if (found) return found;
    }
  }
  return undefined;
}

const detailsSchema = z.record(z.string(), jsonValue).superRefine((details, ctx) => {
  const found = findSecretLike(details, [], false);
  if (found)
    ctx.addIssue({
      code: "custom",
      message: `details.${found} may hold a secret value; store hmacSecretValue() of it instead`,
    });
  if (Buffer.byteLength(JSON.stringify(details)) > MAX_DETAILS_BYTES) {
    ctx.addIssue({ code: "custom", message: `details is larger than ${MAX_DETAILS_BYTES} bytes` });
  }
});

const text = (max: number) => z.string().min(1).max(max);

export const auditEventInputSchema = z.object({
  actor: z
    .object({
      userId: text(200).nullish(),
      name: text(200).nullish(),
      role: text(50).nullish(),
      ip: text(100).nullish(),
      // Browsers send long user agents; keep the start rather than refuse the action.
      userAgent: z
        .string()
        .transform((value) => value.slice(0, 500))
        .nullish(),
    })
    .default({}),
  /** Dotted lower-case verb, e.g. "seal.requested", "pull_request.opened", "auth.sign_in". */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "must be a dotted lower-case name"),
  target: z
    .object({
      cluster: text(200).nullish(),
      namespace: text(253).nullish(),
      kind: text(100).nullish(),
      name: text(253).nullish(),
      keys: z.array(text(253)).max(1000).default([]),
    })
    .default({ keys: [] }),
  outcome: z.enum(AUDIT_OUTCOMES),
  details: detailsSchema.default({}),
  pullRequestUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullish(),
  requestId: text(200).nullish(),
});

export type AuditEventInput = z.input<typeof auditEventInputSchema>;
export type ParsedAuditEventInput = z.output<typeof auditEventInputSchema>;
