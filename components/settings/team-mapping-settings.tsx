import { Card } from "@/components/ui/card";
import type { TeamMapping } from "@/lib/validations/rotation";
import { ReadOnlyNote } from "./read-only-note";
import { mutedClass } from "./settings-classes";
import { TeamMappingEditor } from "./team-mapping-editor";

type TeamMappingSettingsProps = { mapping: TeamMapping; canEdit: boolean; error: string | null };

// Settings → owning teams: which team owns a namespace's secrets, for the Rotations page's grouping.
export function TeamMappingSettings({ mapping, canEdit, error }: TeamMappingSettingsProps) {
  return (
    <Card title="Owning teams" id="owning-teams" className="lg:col-span-2">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        Groups the Rotations page by team. A secret&apos;s own <code>sealdeck.io/owner</code> label (or
        annotation) wins over this mapping; a row for one cluster wins over a row for all clusters.
      </p>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {canEdit ? (
        <TeamMappingEditor mapping={mapping} />
      ) : (
        <>
          <ReadOnlyNote need="the Security lead or Admin role (rotation-policy:write)" />
          {mapping.length === 0 ? (
            <p className={`text-sm ${mutedClass}`}>No namespaces mapped.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className={mutedClass}>
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Cluster
                  </th>
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Namespace
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Team
                  </th>
                </tr>
              </thead>
              <tbody>
                {mapping.map((entry) => (
                  <tr
                    key={`${entry.cluster ?? "*"}/${entry.namespace}`}
                    className="border-t border-zinc-200 dark:border-zinc-800"
                  >
                    <td className="py-1 pr-4 font-mono">{entry.cluster ?? "all"}</td>
                    <td className="py-1 pr-4 font-mono">{entry.namespace}</td>
                    <td className="py-1">{entry.team}</td>
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
