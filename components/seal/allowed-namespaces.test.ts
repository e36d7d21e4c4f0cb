import { describe, expect, it } from "vitest";
import { allowedNamespaces } from "./allowed-namespaces";

const known = [
  { cluster: "a", namespace: "team-x" },
  { cluster: "b", namespace: "team-y" },
];

describe("allowedNamespaces", () => {
  it("offers only the namespaces granted on every chosen cluster", () => {
    const grants = [
      { cluster: "*", namespace: "staging" },
      { cluster: "a", namespace: "development" },
    ];
    expect(allowedNamespaces(["a"], grants, known)).toEqual({
      any: false,
      names: ["development", "staging"],
    });
    expect(allowedNamespaces(["a", "b"], grants, known)).toEqual({ any: false, names: ["staging"] });
    expect(allowedNamespaces(["b"], grants, known)).toEqual({ any: false, names: ["staging"] });
  });

  it("allows any namespace under a wildcard grant, suggesting those seen on the chosen clusters", () => {
    expect(allowedNamespaces(["a"], [{ cluster: "*", namespace: "*" }], known)).toEqual({
      any: true,
      names: ["team-x"],
    });
  });

  it("restricts a cluster-wide wildcard on one cluster by the other cluster's grants", () => {
    const grants = [
      { cluster: "a", namespace: "*" },
      { cluster: "b", namespace: "team-y" },
    ];
    expect(allowedNamespaces(["a", "b"], grants, known)).toEqual({ any: false, names: ["team-y"] });
  });

  it("offers nothing without a grant", () => {
    expect(allowedNamespaces(["a"], [], known)).toEqual({ any: false, names: [] });
  });
});
