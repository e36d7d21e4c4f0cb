import { Card } from "@/components/ui/card";
import type { GroupMapping } from "@/lib/auth/map-groups-to-access";
import { roleLabels } from "@/lib/auth/roles";
import { GroupMappingEditor } from "./group-mapping-editor";
import { ReadOnlyNote } from "./read-only-note";
import { mutedClass } from "./settings-classes";

type GroupMappingSettingsProps = {
  mapping: GroupMapping;
  canEdit: boolean;
  error: string | null;
  /** The file SEALDECK_AUTH_GROUP_MAPPING names: the mapping is then read-only here. */
  managedByFile?: string | null;
};

export const groupMappingAnchor = "group-mapping";

// Settings → group mapping: which identity-provider groups give which role and grants.
export function GroupMappingSettings({
  mapping,
  canEdit,
  error,
  managedByFile = null,
}: GroupMappingSettingsProps) {
  return (
    <Card title="OIDC group mapping" id={groupMappingAnchor} className="scroll-mt-4 lg:col-span-2">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        Applies at each OIDC or GitHub user&apos;s next sign-in (and at the periodic re-check of a session
        holding a refresh token). In several mapped groups, the most capable role wins and grants add up.
        Grants are cluster/namespace, &quot;*&quot; for all. GitHub groups are github:&lt;org&gt; and
        github:&lt;org&gt;/&lt;team-slug&gt;.
      </p>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {canEdit && !managedByFile ? (
        <GroupMappingEditor mapping={mapping} />
      ) : (
        <>
          {managedByFile ? (
            <p className="mb-3 rounded-md bg-zinc-100 px-3 py-2 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              Managed by the environment: SEALDECK_AUTH_GROUP_MAPPING reads it from{" "}
              <code className="font-mono">{managedByFile}</code> at each start. Change that file and restart
              to change it.
            </p>
          ) : (
            <ReadOnlyNote need="the Admin role (users:manage)" />
          )}
          {mapping.length === 0 ? (
            <p className={`text-sm ${mutedClass}`}>No groups mapped.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className={mutedClass}>
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Group
                  </th>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Role
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Grants
                  </th>
                </tr>
              </thead>
              <tbody>
                {mapping.map((entry) => (
                  <tr key={entry.group} className="border-t border-zinc-200 dark:border-zinc-800">
                    <td className="py-1 pr-4 font-mono">{entry.group}</td>
                    <td className="py-1 pr-4">{entry.role ? roleLabels[entry.role] : "none"}</td>
                    <td className="py-1 font-mono">
                      {entry.grants.map((g) => `${g.cluster}/${g.namespace}`).join(", ") || "none"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Card>
  );
}
