import { describe, expect, it } from "vitest";
import { diagnoseUnsealFailure, type UnsealFacts } from "./diagnose-unseal-failure";

const facts: UnsealFacts = {
  namespace: "production",
  name: "payments",
  scope: "strict",
  templateScope: null,
  templateName: null,
  templateNamespace: null,
  sealedWith: null,
  rsaBlockBytes: [512],
  controllerKeyBits: 4096,
  currentKeySha256: "a".repeat(64),
  seenKeySha256s: ["a".repeat(64)],
  activeKeyCount: 2,
  otherClusterKeys: new Map([["b".repeat(64), "staging-eu"]]),
};

describe("diagnoseUnsealFailure", () => {
  it("strict scope, renamed or moved", () => {
    const d = diagnoseUnsealFailure({ ...facts, templateName: "payments-old" });
    expect(d.cause).toBe("renamed-or-moved");
    expect(d.summary).toContain("production/payments-old");
    expect(d.summary).toContain("production/payments");
    expect(diagnoseUnsealFailure({ ...facts, templateNamespace: "staging" }).summary).toContain(
      "staging/payments",
    );
  });
  it("a rename does not matter under namespace-wide or cluster-wide scope", () => {
    expect(diagnoseUnsealFailure({ ...facts, scope: "cluster-wide", templateName: "old" }).cause).not.toBe(
      "renamed-or-moved",
    );
  });
  it("template and object disagree on the scope", () => {
    expect(diagnoseUnsealFailure({ ...facts, templateScope: "namespace-wide" }).cause).toBe("scope-mismatch");
  });
  it("sealed for another cluster", () => {
    const d = diagnoseUnsealFailure({ ...facts, sealedWith: "b".repeat(64) });
    expect(d).toMatchObject({ cause: "other-cluster" });
    expect(d.summary).toContain("staging-eu");
  });
  it("sealed with a key the controller does not have", () => {
    expect(diagnoseUnsealFailure({ ...facts, sealedWith: "c".repeat(64) }).cause).toBe("key-missing");
    const bySize = diagnoseUnsealFailure({ ...facts, rsaBlockBytes: [256] });
    expect(bySize.cause).toBe("key-missing");
    expect(bySize.summary).toContain("2048-bit");
  });
  it("falls back to a plain explanation when nothing points anywhere", () => {
    expect(diagnoseUnsealFailure(facts).cause).toBe("unknown");
  });
});
