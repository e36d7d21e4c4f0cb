import type { ReactNode } from "react";
import { guardSection } from "@/lib/auth/guard-section";

// Answers 403 (not a 200 "Access denied" page) to a role without this section's permission.
export default async function RecoveryLayout({ children }: { children: ReactNode }) {
  await guardSection("/recovery");
  return children;
}
