import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  expandPathTemplate,
  locateManifest,
  normalizeRepoUrl,
  type LocateManifestInput,
} from "./locate-manifest";
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
  });
});
