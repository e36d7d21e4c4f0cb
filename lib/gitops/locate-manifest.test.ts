import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  expandPathTemplate,
  locateManifest,
  normalizeRepoUrl,
  type LocateManifestInput,
} from "./locate-manifest";
import { isOtherClusterPath } from "./is-other-cluster-path";
import { createPlainGitProvider } from "./plain-git-provider";
import type { GitProvider } from "./provider";
import { createGitFixture, type GitFixture } from "./testing/git-fixture";

const sealed = (namespace: string, name: string) => `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  encryptedData:
    key: AgCIPHER==
`;

// A repository laid out three ways: an Argo CD app folder, the template layout, and a stray file.
const FILES = {
  "apps/payments/base/secrets.yaml": `${sealed("payments", "api-keys")}---\n${sealed("payments", "db-credentials")}`,
  "apps/payments/base/deployment.yaml": "kind: Deployment # mentions db-credentials\n",
  "apps/payments/overlays/prod/db-credentials.yaml": sealed("payments-prod-copy", "db-credentials"),
  "prod/billing/invoices.sealedsecret.yaml": sealed("billing", "invoices"),
  "misc/legacy/old.yaml": sealed("legacy", "smtp"),
  "prod/shared/sealed-secrets.yaml": sealed("shared", "other"),
};

let fixture: GitFixture;
let provider: GitProvider;
beforeAll(async () => {
  fixture = await createGitFixture(FILES);
  provider = createPlainGitProvider({ remote: fixture.remote, cacheDir: `${fixture.root}/cache` });
});
afterAll(() => fixture.cleanup());

const input = (
  secret: LocateManifestInput["secret"],
  extra: Partial<LocateManifestInput> = {},
): LocateManifestInput => ({
  provider,
  repository: {
    baseBranch: "main",
    pathTemplates: ["{cluster}/{namespace}/{name}.sealedsecret.yaml"],
    urls: ["https://git.example.test/acme/deploy.git"],
  },
  secret,
  ...extra,
});

describe("locateManifest", () => {
  it("looks under the owning Argo CD Application's path when it syncs from this repository", async () => {
    const found = await locateManifest(
      input(
        { cluster: "prod", namespace: "payments", name: "db-credentials" },
        {
          application: {
            repoURL: "git@git.example.test:acme/deploy",
            path: "apps/payments/base",
            targetRevision: "HEAD",
          },
        },
      ),
    );
    expect(found).toMatchObject({ via: "argocd", path: "apps/payments/base/secrets.yaml", ref: "main" });
    expect(found.target).toMatchObject({
      documentIndex: 1,
      name: "db-credentials",
      namespace: "payments",
      keys: ["key"],
    });
  });

  it("ignores an Application that syncs from another repository and uses the template", async () => {
    const found = await locateManifest(
      input(
        { cluster: "prod", namespace: "billing", name: "invoices" },
        { application: { repoURL: "https://git.example.test/other/repo", path: "apps" } },
      ),
    );
    expect(found).toMatchObject({ via: "template", path: "prod/billing/invoices.sealedsecret.yaml" });
  });

  it("searches the repository, parsing candidates, when no template matches", async () => {
    const found = await locateManifest(input({ cluster: "prod", namespace: "legacy", name: "smtp" }));
    expect(found).toMatchObject({
      via: "search",
      path: "misc/legacy/old.yaml",
      file: { path: "misc/legacy/old.yaml" },
    });
  });

  it("never finds a secret in another cluster's folder of the template layout", async () => {
    // prod/billing/invoices.sealedsecret.yaml holds billing/invoices too, but the template puts it in prod's folder.
    const clusters = ["prod", "staging"];
    const found = await locateManifest(
      input({ cluster: "staging", namespace: "billing", name: "invoices" }, { clusters }),
    );
    expect(found).toMatchObject({
      via: "new",
      path: "staging/billing/invoices.sealedsecret.yaml",
      target: null,
      templatePaths: ["staging/billing/invoices.sealedsecret.yaml"],
    });
    // A folder that names no known cluster is searched as before.
    expect(
      await locateManifest(input({ cluster: "staging", namespace: "legacy", name: "smtp" }, { clusters })),
    ).toMatchObject({ via: "search", path: "misc/legacy/old.yaml" });
    const other = (path: string, template: string) =>
      isOtherClusterPath(path, [template], "staging", clusters);
    expect(other("clusters/prod/apps/x.yaml", "clusters/{cluster}/apps/{app}.yaml")).toBe(true);
    expect(other("clusters/staging/apps/x.yaml", "clusters/{cluster}/apps/{app}.yaml")).toBe(false);
    expect(other("secrets-prod.yaml", "secrets-{cluster}.yaml")).toBe(true);
    expect(other("secrets-staging.yaml", "secrets-{cluster}.yaml")).toBe(false);
    expect(other("prod/a.yaml", "{namespace}/{name}.yaml")).toBe(false);
  });

  it("sends a new secret to the first template that can be filled, with the file if it already exists", async () => {
    const fresh = await locateManifest(
      input(
        { cluster: "staging", namespace: "payments", name: "webhook" },
        {
          repository: {
            baseBranch: "main",
            pathTemplates: [
              "apps/{app}/overlays/{cluster}/sealed-secrets.yaml",
              "{cluster}/{namespace}/{name}.sealedsecret.yaml",
            ],
            urls: [],
          },
        },
      ),
    );
    expect(fresh).toMatchObject({
      via: "new",
      path: "staging/payments/webhook.sealedsecret.yaml",
      file: null,
      target: null,
    });

    const shared = await locateManifest(
      input(
        { cluster: "prod", namespace: "shared", name: "brand-new" },
        {
          repository: {
            baseBranch: "main",
            pathTemplates: ["{cluster}/{namespace}/sealed-secrets.yaml"],
            urls: [],
          },
        },
      ),
    );
    expect(shared).toMatchObject({ via: "new", path: "prod/shared/sealed-secrets.yaml", target: null });
    expect(shared.file?.content).toContain("name: other");
  });

  it("refuses when no template can be filled for a new secret", async () => {
    await expect(
      locateManifest(
        input(
          { cluster: "prod", namespace: "x", name: "y" },
          {
            repository: { baseBranch: "main", pathTemplates: ["apps/{app}/secrets.yaml"], urls: [] },
          },
        ),
      ),
    ).rejects.toMatchObject({ code: "unprocessable" });
  });

  it("normalises repository URLs and expands templates safely", () => {
    const expected = "git.example.test/acme/deploy";
    for (const url of [
      "https://git.example.test/acme/deploy.git",
      "https://user@Git.Example.Test/acme/deploy/",
      "ssh://git@git.example.test:22/acme/deploy.git",
      "git@git.example.test:acme/deploy.git",
    ])
      expect(normalizeRepoUrl(url)).toBe(expected);
    expect(
      expandPathTemplate("{cluster}/{namespace}/{name}.yaml", { cluster: "prod", namespace: "a", name: "b" }),
    ).toBe("prod/a/b.yaml");
    expect(expandPathTemplate("{app}/x.yaml", {})).toBeNull();
    expect(expandPathTemplate("{name}/x.yaml", { name: "../etc" })).toBeNull();
    expect(expandPathTemplate("{cluster}/x.yaml", { cluster: ".." })).toBeNull();
  });
});
