import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { getCurrentPrincipal } from "@/lib/auth/get-current-principal";

export const metadata: Metadata = { title: "Access denied" };

// Rendered with status 403 when a section's layout calls forbidden() (lib/auth/guard-section.ts).
export default async function ForbiddenPage() {
  const principal = await getCurrentPrincipal();
  return principal ? <Forbidden role={principal.role} /> : null;
}
