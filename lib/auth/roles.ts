import { z } from "zod";

// Roles are data shared by the server, the CLI, the UI and the e2e suite: no server-only import here.

export const roles = ["developer", "security-lead", "auditor", "admin"] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);

export const roleLabels: Record<Role, string> = {
  developer: "Developer",
  "security-lead": "Security lead",
  auditor: "Auditor",
  admin: "Admin",
};

/** Where each role lands after signing in: the page its work starts from. */
export const roleLandingPages: Record<Role, string> = {
  developer: "/secrets",
  "security-lead": "/rotations",
  auditor: "/audit",
  admin: "/settings",
};
