import { describe, expect, it } from "vitest";
import { clusterFromGitPath } from "./cluster-from-git-path";

describe("clusterFromGitPath", () => {
  const sandbox = ["{cluster}/{namespace}/{name}.sealedsecret.yaml"];

  it("reads the cluster folder of the default layout, whatever the file is called", () => {
    expect(clusterFromGitPath("sandbox/payments/db.sealedsecret.yaml", sandbox)).toBe("sandbox");
    expect(clusterFromGitPath("sandbox-2/shop/secrets.yaml", sandbox)).toBe("sandbox-2");
    expect(clusterFromGitPath("sandbox-2/deep/er/file.yaml", sandbox)).toBe("sandbox-2");
  });

  it("is null for a file outside any cluster folder or a layout without {cluster}", () => {
    expect(clusterFromGitPath("secrets.yaml", sandbox)).toBeNull();
    expect(
      clusterFromGitPath("apps/shop/overlays/prod/sealed.yaml", [
        "apps/{app}/overlays/{namespace}/sealed.yaml",
      ]),
    ).toBeNull();
  });

  it("matches the folders before {cluster} literally and takes the first template that fits", () => {
    const templates = ["clusters/{cluster}/apps/{namespace}.yaml", "envs/{app}/{cluster}/{name}.yaml"];
    expect(clusterFromGitPath("clusters/prod-eu/apps/payments.yaml", templates)).toBe("prod-eu");
    expect(clusterFromGitPath("envs/shop/staging/db.yaml", templates)).toBe("staging");
    expect(clusterFromGitPath("other/prod-eu/apps/payments.yaml", templates)).toBeNull();
    expect(clusterFromGitPath("cluster-x/prod/a.yaml", ["cluster-{cluster}/{namespace}/{name}.yaml"])).toBe(
      "x",
    );
  });

  it("never takes the file name for the cluster", () => {
    expect(clusterFromGitPath("prod.yaml", ["{cluster}.yaml"])).toBeNull();
  });
});
