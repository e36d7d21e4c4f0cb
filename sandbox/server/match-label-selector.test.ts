import { describe, expect, it } from "vitest";
import { compileLabelSelector } from "./match-label-selector";

// The selector grammar kubectl -l and informers send.
describe("compileLabelSelector", () => {
  const labels = { app: "web", tier: "front", "sealedsecrets.bitnami.com/sealed-secrets-key": "active" };

  it.each([
    ["app=web", true],
    ["app==web,tier=front", true],
    ["app!=web", false],
    ["sealedsecrets.bitnami.com/sealed-secrets-key", true],
    ["!tier", false],
    ["tier in (front, back)", true],
    ["tier notin (front)", false],
    ["app=web,tier in (back)", false],
    ["missing!=x", true],
  ])("%s → %s", (selector, expected) => {
    expect(compileLabelSelector(selector)(labels)).toBe(expected);
  });

  it("rejects malformed selectors with 400", () => {
    expect(() => compileLabelSelector("a in b")).toThrow(expect.objectContaining({ code: 400 }));
  });
});
