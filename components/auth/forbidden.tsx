import Link from "next/link";
import type { NamespaceRef } from "@/lib/auth/principal";
import { roleLabels, roleLandingPages, type Role } from "@/lib/auth/roles";

type ForbiddenProps = { role: Role; namespace?: NamespaceRef };

// Rendered in place of a page the signed-in role may not use (the URL stays, so the user sees why).
export function Forbidden({ role, namespace }: ForbiddenProps) {
  return (
    <div className="max-w-xl" data-testid="forbidden">
      <p className="text-sm font-medium text-zinc-500">403</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Access denied</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        {namespace
          ? `You have no grant for namespace ${namespace.namespace} on cluster ${namespace.cluster}.`
          : `Your role (${roleLabels[role]}) does not include this page.`}{" "}
        An admin can change roles and namespace grants in Settings → Users and access.
      </p>
      <Link
        href={roleLandingPages[role]}
        className="mt-4 inline-block text-sm font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
      >
        Go to your start page
      </Link>
    </div>
  );
}
