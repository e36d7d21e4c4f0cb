import { z } from "zod";

import { SealingError, type SealingIssue } from "./errors";
import type { SecretInput } from "./secret-input";

/** The API server's limit on the sum of a Secret's values (`MaxSecretSize`, 1 MiB). */
export const MAX_SECRET_BYTES = 1024 * 1024;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A Secret's name: a DNS-1123 subdomain, as the API server validates it. */
export const secretNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .regex(
    DNS1123_SUBDOMAIN,
    "must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  );

/** A namespace: a DNS-1123 label. */
export const namespaceSchema = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    DNS1123_LABEL,
    "must be lowercase letters, digits and '-', starting and ending with a letter or digit",
  );

/** A key of `data`: Kubernetes' `IsConfigMapKey` rules. */
export const secretKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .regex(SECRET_KEY, "must consist of letters, digits, '-', '_' or '.'")
  .refine((key) => key !== "." && key !== "..", "must not be '.' or '..'")
  .refine((key) => !key.startsWith(".."), "must not start with '..'");

export type ValidateSecretOptions = {
  /** Whether the namespace may be absent (cluster-wide scope). */
  namespaceOptional?: boolean;
  /** Accept a Secret with no keys, like kubeseal's `--allow-empty-data`. */
  allowEmptyData?: boolean;
};

const utf8 = new TextEncoder();

/**
 * Every problem with a Secret, for a form to show next to its fields; `[]` when it can be sealed.
 * Checks what the API server would reject after the controller unseals it, so a mistake surfaces
 * while sealing rather than as a failed sync hours later. Messages never include a value.
 */
export function secretIssues(secret: SecretInput, options: ValidateSecretOptions = {}): SealingIssue[] {
  const issues: SealingIssue[] = [];
  const check = (schema: z.ZodType<string>, value: string, path: string) => {
    const result = schema.safeParse(value);
    if (!result.success)
      issues.push({ path, message: `${path} ${result.error.issues[0]?.message ?? "is invalid"}` });
  };

  check(secretNameSchema, secret.name, "metadata.name");
  if (secret.namespace || !options.namespaceOptional) {
    check(namespaceSchema, secret.namespace ?? "", "metadata.namespace");
  }

  const seen = new Set<string>();
  let total = 0;
  for (const { key, value } of secret.entries) {
    const path = `data[${JSON.stringify(key)}]`;
    check(secretKeySchema, key, path);
    if (seen.has(key)) issues.push({ path, message: `${path} appears more than once` });
    seen.add(key);
    total += typeof value === "string" ? utf8.encode(value).length : value.length;
  }
  if (total > MAX_SECRET_BYTES) {
    issues.push({
      path: "data",
      message: `data totals ${total} bytes; a Secret may hold at most ${MAX_SECRET_BYTES} bytes (1 MiB)`,
    });
  }

  issues.push(...typeIssues(secret));
  return issues;
}

/**
 * Throws unless the Secret can be sealed.
 *
 * @throws SealingError `secret-empty` (kubeseal's "secret.data is empty" refusal) or `secret-invalid`
 *   with every issue in `issues` and joined in the message.
 */
export function validateSecret(secret: SecretInput, options: ValidateSecretOptions = {}): void {
  if (secret.entries.length === 0 && !options.allowEmptyData) {
    throw new SealingError(
      "secret-empty",
      "The Secret has no data; refusing to seal it, as kubeseal does. Allow empty data to seal it anyway.",
    );
  }
  const issues = secretIssues(secret, options);
  if (issues.length > 0) {
    throw new SealingError(
      "secret-invalid",
      `Invalid Secret: ${issues.map((i) => i.message).join("; ")}.`,
      issues,
    );
  }
}

/** The per-type requirements of Kubernetes' `ValidateSecret` (pkg/apis/core/validation). */
function typeIssues(secret: SecretInput): SealingIssue[] {
  const entry = (key: string) => secret.entries.find((e) => e.key === key);
  const missing = (key: string): SealingIssue => ({
    path: `data[${JSON.stringify(key)}]`,
    message: `a ${secret.type} Secret needs the key "${key}"`,
  });
  const mustBeJson = (key: string): SealingIssue[] => {
    const found = entry(key);
    if (!found) return [missing(key)];
    const text = typeof found.value === "string" ? found.value : new TextDecoder().decode(found.value);
    try {
      JSON.parse(text);
      return [];
    } catch {
      // The parser's message quotes the input; say only where the problem is.
      return [{ path: `data[${JSON.stringify(key)}]`, message: `data["${key}"] is not valid JSON` }];
    }
  };

  switch (secret.type) {
    case "kubernetes.io/tls":
      return ["tls.crt", "tls.key"].filter((key) => !entry(key)).map(missing);
    case "kubernetes.io/dockerconfigjson":
      return mustBeJson(".dockerconfigjson");
    case "kubernetes.io/dockercfg":
      return mustBeJson(".dockercfg");
    case "kubernetes.io/basic-auth":
      return entry("username") || entry("password")
        ? []
        : [
            {
              path: "data",
              message: 'a kubernetes.io/basic-auth Secret needs the key "username" or "password"',
            },
          ];
    case "kubernetes.io/ssh-auth":
      return entry("ssh-privatekey") ? [] : [missing("ssh-privatekey")];
    default:
      return [];
  }
}
