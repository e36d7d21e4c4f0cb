import { describe, expect, it } from "vitest";
import { type RotationPolicy, rotationPolicyInputSchema } from "@/lib/validations/rotation";
import { emptyPolicyFields, fieldsOfPolicy, policyInputOf, scopeText } from "./policy-fields";

const stored = (scope: RotationPolicy["scope"], maxAgeDays = 30): RotationPolicy => ({
  id: "5f0e9a4e-8d0c-4b8e-9f55-0d7d2b0f6c11",
  scope,
  maxAgeDays,
  note: "PCI",
  updatedBy: "sam",
  updatedAt: "2026-12-01T00:00:00.000Z",
});

describe("policyInputOf", () => {
  it("builds a namespace policy on every cluster when the cluster is blank", () => {
    const input = policyInputOf({ ...emptyPolicyFields, namespace: "payments", maxAge: "30d" });
    expect(rotationPolicyInputSchema.parse(input)).toEqual({
      scope: { level: "namespace", cluster: null, namespace: "payments" },
      maxAge: "30d",
      note: "",
    });
  });

  it("keeps only the level's own fields, and the id when editing", () => {
    const input = policyInputOf(
      { ...emptyPolicyFields, level: "cluster", cluster: "prod", namespace: "ignored", maxAge: "6m" },
      "5f0e9a4e-8d0c-4b8e-9f55-0d7d2b0f6c11",
    );
    expect(input).toEqual({
      id: "5f0e9a4e-8d0c-4b8e-9f55-0d7d2b0f6c11",
      scope: { level: "cluster", cluster: "prod" },
      maxAge: "6m",
      note: "",
    });
  });

  it("lets the contract's schema refuse what is missing or malformed", () => {
    expect(
      rotationPolicyInputSchema.safeParse(
        policyInputOf({ ...emptyPolicyFields, level: "secret", namespace: "p" }),
      ).success,
    ).toBe(false);
    expect(
      rotationPolicyInputSchema.safeParse(
        policyInputOf({ ...emptyPolicyFields, level: "global", maxAge: "90 days" }),
      ).success,
    ).toBe(false);
  });
});

describe("fieldsOfPolicy", () => {
  it("round-trips a stored key policy through the form", () => {
    const policy = stored({
      level: "key",
      cluster: null,
      namespace: "payments",
      kind: "SealedSecret",
      name: "api-keys",
      key: "TOKEN",
    });
    const input = rotationPolicyInputSchema.parse(policyInputOf(fieldsOfPolicy(policy), policy.id));
    expect(input).toEqual({ id: policy.id, scope: policy.scope, maxAge: "30d", note: "PCI" });
  });
});

describe("scopeText", () => {
  it("says where a policy applies", () => {
    expect(scopeText({ level: "global" })).toBe("everything");
    expect(scopeText({ level: "namespace", cluster: null, namespace: "payments" })).toBe(
      "namespace payments on every cluster",
    );
    expect(
      scopeText({ level: "secret", cluster: "prod", namespace: "p", kind: "ExternalSecret", name: "db" }),
    ).toBe("ExternalSecret p/db on prod");
  });
});
