import { describe, expect, it } from "vitest";
import { pickRotationAnnotations } from "./pick-rotation-annotations";

describe("pickRotationAnnotations", () => {
  it("keeps the rotate-every annotations (secret and per key) and the owner, nothing else", () => {
    expect(
      pickRotationAnnotations({
        "sealdeck.io/rotate-every": "30d",
        "sealdeck.io/rotate-every.password": "7d",
        "sealdeck.io/owner": "payments",
        "sealdeck.io/sealed-with": "abc",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "sealedsecrets.bitnami.com/cluster-wide": "true",
      }),
    ).toEqual({
      "sealdeck.io/rotate-every": "30d",
      "sealdeck.io/rotate-every.password": "7d",
      "sealdeck.io/owner": "payments",
    });
  });

  it("is empty without annotations", () => {
    expect(pickRotationAnnotations(undefined)).toEqual({});
  });
});
