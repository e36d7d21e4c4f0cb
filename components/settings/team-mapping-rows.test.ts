import { describe, expect, it } from "vitest";
import { teamMappingSchema } from "@/lib/validations/rotation";
import { teamMappingOf, toTeamMappingRows } from "./team-mapping-rows";

describe("teamMappingOf", () => {
  it("turns a blank cluster into every cluster and trims what was typed", () => {
    const { mapping, duplicates } = teamMappingOf([
      { key: 0, cluster: "", namespace: " payments ", team: "Payments " },
      { key: 1, cluster: "prod", namespace: "payments", team: "Payments SRE" },
    ]);
    expect(teamMappingSchema.parse(mapping)).toEqual([
      { cluster: null, namespace: "payments", team: "Payments" },
      { cluster: "prod", namespace: "payments", team: "Payments SRE" },
    ]);
    expect(duplicates).toEqual([]);
  });

  it("reports a namespace mapped twice on the same cluster", () => {
    expect(
      teamMappingOf([
        { key: 4, cluster: "", namespace: "web", team: "a" },
        { key: 7, cluster: " ", namespace: "web", team: "b" },
      ]).duplicates,
    ).toEqual([7]);
  });

  it("round-trips a stored mapping", () => {
    const stored = [{ cluster: null, namespace: "web", team: "Frontend" }];
    expect(teamMappingOf(toTeamMappingRows(stored)).mapping).toEqual(stored);
  });
});
