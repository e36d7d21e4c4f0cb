import { describe, expect, it } from "vitest";
import {
  metadataKeySchema,
  parseRotateRequest,
  rotateHref,
  sealFormErrors,
  type SealFormValues,
} from "./seal-form";

const valid: SealFormValues = {
  clusters: ["sandbox"],
  namespace: "staging",
  name: "payments",
  type: "Opaque",
  scope: "strict",
  entries: [{ key: "API_KEY", size: 12 }],
  labels: [],
  annotations: [],
  reason: "",
  ticket: "",
};

describe("sealFormErrors", () => {
  it("accepts a complete form", () => {
    expect(sealFormErrors(valid)).toEqual({});
  });

  it("names each problem by field, with lib/sealing's messages", () => {
    const errors = sealFormErrors({
      ...valid,
      clusters: [],
      namespace: "Not_OK",
      entries: [
        { key: "A", size: 0 },
        { key: "A", size: 3 },
        { key: "bad key", size: 1 },
      ],
      labels: [{ key: "team", value: "x".repeat(64) }],
    });
    expect(errors).toMatchObject({
      clusters: "Choose at least one cluster.",
      namespace: expect.stringContaining("lowercase letters, digits and '-'"),
      "entries.0.size": expect.stringContaining("needs a value"),
      "entries.1.key": "appears more than once",
      "entries.2.key": expect.stringContaining("letters, digits"),
      "labels.0.value": "must be at most 63 characters",
    });
  });
});

describe("metadataKeySchema", () => {
  it("accepts prefixed and plain names and refuses malformed ones", () => {
    expect(metadataKeySchema.safeParse("app.kubernetes.io/part-of").success).toBe(true);
    expect(metadataKeySchema.safeParse("team").success).toBe(true);
    expect(metadataKeySchema.safeParse("a/b/c").success).toBe(false);
    expect(metadataKeySchema.safeParse("-team").success).toBe(false);
    expect(metadataKeySchema.safeParse("Upper.Prefix/name").success).toBe(false);
  });
});

describe("rotate links", () => {
  it("round-trip through the URL, with several clusters and keys", () => {
    const request = { clusters: ["a", "b"], namespace: "staging", name: "db", keys: ["PASSWORD", "USER"] };
    const href = rotateHref(request);
    expect(href).toBe("/seal?cluster=a&cluster=b&namespace=staging&name=db&rotate=PASSWORD%2CUSER");
    const params: Record<string, string[] | string> = {};
    for (const [key, value] of new URL(href, "http://x").searchParams) {
      const existing = params[key];
      params[key] = existing === undefined ? value : [existing, value].flat();
    }
    expect(parseRotateRequest(params)).toEqual(request);
  });

  it("carries a re-seal campaign's id, and drops one that is not an id", () => {
    const campaign = "0b7f6c2e-3c1a-4d5e-9f00-1a2b3c4d5e6f";
    const request = { clusters: ["a"], namespace: "staging", name: "db", keys: ["PASSWORD"], campaign };
    const href = rotateHref(request);
    expect(href).toBe(`/seal?cluster=a&namespace=staging&name=db&rotate=PASSWORD&campaign=${campaign}`);
    expect(parseRotateRequest(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual(request);
    expect(
      parseRotateRequest({
        cluster: "a",
        namespace: "staging",
        name: "db",
        rotate: "PASSWORD",
        campaign: "x",
      }),
    ).toEqual({ clusters: ["a"], namespace: "staging", name: "db", keys: ["PASSWORD"] });
  });

  it("is not a rotation without rotate=, and not a valid one without keys or a namespace", () => {
    expect(parseRotateRequest({ cluster: "a", namespace: "x", name: "y" })).toBeNull();
    expect(parseRotateRequest({ cluster: "a", namespace: "x", name: "y", rotate: "" })).toBeNull();
    expect(parseRotateRequest({ cluster: "a", name: "y", rotate: "K" })).toBeNull();
  });
});
