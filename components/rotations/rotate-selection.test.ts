import { describe, expect, it } from "vitest";
import { parseRotateRequest } from "@/lib/validations/seal-form";
import { rotateTargetOf } from "./rotate-selection";

const key = (over: Partial<Parameters<typeof rotateTargetOf>[0][number]> = {}) => ({
  kind: "SealedSecret" as const,
  cluster: "sandbox",
  namespace: "payments",
  name: "api-keys",
  key: "STRIPE_KEY",
  ...over,
});

const requestOf = (href: string) =>
  parseRotateRequest(Object.fromEntries(new URLSearchParams(href.split("?")[1]).entries()));

describe("rotateTargetOf", () => {
  it("opens the seal form for one key of a SealedSecret", () => {
    const target = rotateTargetOf([key()]);
    expect(target.ok).toBe(true);
    if (!target.ok) return;
    expect(requestOf(target.href)).toEqual({
      clusters: ["sandbox"],
      namespace: "payments",
      name: "api-keys",
      keys: ["STRIPE_KEY"],
    });
  });

  it("puts several keys of one secret, on several clusters, into one rotation", () => {
    const target = rotateTargetOf([
      key(),
      key({ key: "WEBHOOK_SECRET" }),
      key({ cluster: "prod" }),
      key({ cluster: "prod", key: "WEBHOOK_SECRET" }),
    ]);
    expect(target).toMatchObject({
      ok: true,
      keys: ["STRIPE_KEY", "WEBHOOK_SECRET"],
      clusters: ["sandbox", "prod"],
    });
    if (target.ok)
      expect(target.href).toBe(
        "/seal?cluster=sandbox&cluster=prod&namespace=payments&name=api-keys&rotate=STRIPE_KEY%2CWEBHOOK_SECRET",
      );
  });

  it("refuses keys of two secrets, ExternalSecrets and an empty selection, saying why", () => {
    expect(rotateTargetOf([key(), key({ name: "db" })])).toEqual({
      ok: false,
      problem: expect.stringContaining("one secret") as string,
    });
    expect(rotateTargetOf([key({ kind: "ExternalSecret", key: "" })])).toEqual({
      ok: false,
      problem: expect.stringContaining("ExternalSecret") as string,
    });
    expect(rotateTargetOf([])).toEqual({ ok: false, problem: "Select the keys to rotate." });
  });
});
