// The dashboard's sections, in menu order. The e2e suite walks this list, so a new section gets tested.
export type NavItem = { href: string; label: string; description: string };

export const navItems: readonly NavItem[] = [
  { href: "/", label: "Overview", description: "Health of the secret estate at a glance" },
  { href: "/secrets", label: "Secrets", description: "Every SealedSecret and ExternalSecret" },
  { href: "/seal", label: "Seal", description: "Encrypt values in the browser and propose them" },
  { href: "/changes", label: "Changes", description: "Pull requests Sealdeck opened, and their state" },
  { href: "/rotations", label: "Rotations", description: "What is due, overdue or failed to rotate" },
  {
    href: "/recovery",
    label: "Recovery",
    description: "Incidents: unreachable stores, lost keys, and what to do",
  },
  { href: "/audit", label: "Audit", description: "Who changed or accessed which secret" },
  { href: "/settings", label: "Settings", description: "Clusters, repositories, users and access" },
];

export function isActive(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
