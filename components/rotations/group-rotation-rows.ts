import type { RotationRow } from "@/lib/validations/rotation";

export type RotationListItem =
  | { type: "group"; id: string; team: string | null; keys: number; overdue: number }
  | { type: "row"; id: string; row: RotationRow };

export const UNOWNED = "Unowned";

/**
 * The table's items: the rows as they are, or (grouped by owner team, rows sorted by team) a header
 * before each team's rows with what is loaded of it.
 */
export function groupRotationRows(rows: readonly RotationRow[], byTeam: boolean): RotationListItem[] {
  if (!byTeam) return rows.map((row) => ({ type: "row", id: row.id, row }));
  const items: RotationListItem[] = [];
  let header: Extract<RotationListItem, { type: "group" }> | null = null;
  for (const row of rows) {
    const team = row.owner?.team ?? null;
    if (!header || header.team !== team) {
      header = { type: "group", id: `group:${team ?? ""}:${items.length}`, team, keys: 0, overdue: 0 };
      items.push(header);
    }
    header.keys += 1;
    if (row.status === "overdue") header.overdue += 1;
    items.push({ type: "row", id: row.id, row });
  }
  return items;
}
