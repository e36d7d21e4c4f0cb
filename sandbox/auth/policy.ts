import "server-only";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";

const ruleSchema = z.object({
  users: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  verbs: z.array(z.string()).min(1),
  /** `secrets`, `services/proxy`, `*`, `*\/status`; `users`/`groups` with verb `impersonate`. */
  resources: z.array(z.string()).min(1),
  apiGroups: z.array(z.string()).optional(),
  /** Omitted: every namespace and the cluster-scoped resources. */
  namespaces: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
});

export const policySchema = z.object({
  users: z.array(
    z.object({
      name: z.string().min(1),
      /** Omitted: a random token per start (listed in the kubeconfig), so a policy file holds no credential. */
      token: z.string().min(16).optional(),
      groups: z.array(z.string()).default([]),
    }),
  ),
  rules: z.array(ruleSchema),
});

type PolicyUser = z.infer<typeof policySchema>["users"][number] & { token: string };
export type Policy = { users: PolicyUser[]; rules: PolicyRule[] };
export type PolicyRule = z.infer<typeof ruleSchema>;

/** Reads a YAML or JSON policy file; a malformed one stops the sandbox rather than opening it up. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const parsed = policySchema.safeParse(parse(await readFile(path, "utf8")));
  if (!parsed.success) throw new Error(`invalid sandbox policy ${path}: ${parsed.error.message}`);
  return {
    ...parsed.data,
    users: parsed.data.users.map((u) => ({ ...u, token: u.token ?? randomBytes(24).toString("base64url") })),
  };
}
