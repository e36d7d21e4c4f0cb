import { describe, expect, it } from "vitest";
import type { RotationRow } from "@/lib/validations/rotation";
import { groupRotationRows } from "./group-rotation-rows";

const row = (id: string, team: string | null, status: RotationRow["status"] = "compliant") =>
  ({ id, status, owner: team ? { team, source: "label" } : null }) as RotationRow;

describe("groupRotationRows", () => {
  it("lists the rows as they are without grouping", () => {
    expect(groupRotationRows([row("a", "x"), row("b", null)], false).map((i) => i.type)).toEqual([
      "row",
      "row",
    ]);
  });

  it("puts a header before each team's rows, with its keys and overdue count", () => {
    const items = groupRotationRows(
      [row("a", "orders", "overdue"), row("b", "orders"), row("c", "payments", "overdue"), row("d", null)],
      true,
    );
    expect(
      items.map((i) => (i.type === "group" ? `[${i.team ?? "-"} ${i.keys}/${i.overdue}]` : i.id)),
    ).toEqual(["[orders 2/1]", "a", "b", "[payments 1/1]", "c", "[- 1/0]", "d"]);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });
});
