import { z } from "zod";
import { roleSchema } from "./roles";

// Input schemas shared by the user actions, their forms and the `sealdeck user` CLI.

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,199}$/, "letters, digits, . _ @ - (up to 200)");

export const newPasswordSchema = z
  .string()
  .min(12, "at least 12 characters")
  .max(200, "at most 200 characters");

export const clusterNameSchema = z
  .string()
  .trim()
  .regex(/^(\*|[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/, "a cluster name, or * for every cluster");

export const namespaceNameSchema = z
  .string()
  .trim()
  .regex(/^(\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/, "a namespace name, or * for every namespace");

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "required").max(200),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "does not match",
  })
  .refine((value) => value.newPassword !== value.currentPassword, {
    path: ["newPassword"],
    message: "must differ from the current one",
  });

export const changeUserRoleSchema = z.object({ userId: z.uuid(), role: roleSchema });
export const addNamespaceGrantSchema = z.object({
  userId: z.uuid(),
  cluster: clusterNameSchema,
  namespace: namespaceNameSchema,
});
export const removeNamespaceGrantSchema = z.object({ grantId: z.uuid() });
export const revokeUserSessionsSchema = z.object({ userId: z.uuid() });
