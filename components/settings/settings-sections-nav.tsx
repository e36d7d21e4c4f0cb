import { groupMappingAnchor } from "./group-mapping-settings";

type SettingsSectionsNavProps = { withUsers: boolean };

// Settings is one long page of cards: this menu jumps to each, so the group mapping (and the others)
// can be found without scrolling past the clusters.
export function SettingsSectionsNav({ withUsers }: SettingsSectionsNavProps) {
  const sections = [
    { label: "Clusters", href: "#clusters" },
    { label: "Repositories", href: "#repositories" },
    { label: "Group mapping", href: `#${groupMappingAnchor}` },
    ...(withUsers ? [{ label: "Users and access", href: "#users-and-access" }] : []),
    { label: "Owning teams", href: "#owning-teams" },
    { label: "Notifications", href: "#notifications" },
    { label: "Audit retention", href: "#audit-retention" },
  ];
  return (
    <nav aria-label="Settings sections" className="-mt-3 mb-6">
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {sections.map((section) => (
          <li key={section.href}>
            <a
              href={section.href}
              className="text-zinc-700 underline-offset-4 hover:underline dark:text-zinc-300"
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
