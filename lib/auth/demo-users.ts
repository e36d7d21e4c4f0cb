import type { NamespaceRef } from "./principal";
import type { Role } from "./roles";

// SANDBOX ONLY. One demo account per role with a published password, created by the launcher when
// SEALDECK_SANDBOX=1 and listed on the sign-in page in that mode only. These are documented demo values,
// not secrets: a deployment without the sandbox never creates these accounts.

export type DemoUser = {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  grants: NamespaceRef[];
};

export const demoUsers: readonly DemoUser[] = [
  {
    username: "developer",
    password: "demo-developer",
    displayName: "Dana Developer",
    role: "developer",
    // Not production: the demo shows what a developer without a grant sees there.
    grants: [
      { cluster: "*", namespace: "staging" },
      { cluster: "*", namespace: "development" },
    ],
  },
  {
    username: "security-lead",
    password: "demo-security-lead",
    displayName: "Sam Security",
    role: "security-lead",
    grants: [],
  },
  { username: "auditor", password: "demo-auditor", displayName: "Alex Auditor", role: "auditor", grants: [] },
  { username: "admin", password: "demo-admin", displayName: "Ada Admin", role: "admin", grants: [] },
];
