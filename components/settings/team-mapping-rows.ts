import type { TeamMapping } from "@/lib/validations/rotation";

/** One editable line of the namespace → team mapping, as typed. */
export type TeamMappingRow = { key: number; cluster: string; namespace: string; team: string };

export const toTeamMappingRows = (mapping: TeamMapping): TeamMappingRow[] =>
  mapping.map((entry, key) => ({
    key,
    cluster: entry.cluster ?? "",
    namespace: entry.namespace,
    team: entry.team,
  }));

/** The rows as the setting's value (a blank cluster: every cluster), and the rows that repeat a namespace. */
export function teamMappingOf(rows: readonly TeamMappingRow[]): {
  mapping: TeamMapping;
  duplicates: number[];
} {
  const mapping = rows.map((row) => ({
    cluster: row.cluster.trim() === "" ? null : row.cluster.trim(),
    namespace: row.namespace.trim(),
    team: row.team.trim(),
  }));
  const seen = new Set<string>();
  const duplicates: number[] = [];
  for (const [index, entry] of mapping.entries()) {
    const id = `${entry.cluster ?? "*"}/${entry.namespace}`;
    if (seen.has(id)) duplicates.push(rows[index]!.key);
    seen.add(id);
  }
  return { mapping, duplicates };
}
