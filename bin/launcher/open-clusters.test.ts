import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { shouldUseSandbox } from "./open-clusters";

describe("shouldUseSandbox", () => {
  const env = parseEnv({});

  it("uses the user's kubeconfig when KUBECONFIG is set", () => {
    expect(shouldUseSandbox(env, { KUBECONFIG: "/home/me/.kube/prod" })).toBe(false);
  });

  it("uses the in-cluster service account inside a cluster", () => {
    expect(shouldUseSandbox(env, { KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toBe(false);
  });

  it("uses the sandbox when SEALDECK_SANDBOX=1, whatever else is configured", () => {
    expect(shouldUseSandbox(parseEnv({ SEALDECK_SANDBOX: "1" }), { KUBECONFIG: "/home/me/.kube/prod" })).toBe(
      true,
    );
  });
});
