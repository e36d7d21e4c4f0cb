import { describe, expect, it } from "vitest";

import { createGiteaProvider } from "./gitea-provider";
import { proposeReencryption, type ProposeReencryptionInput } from "./propose-reencryption";
import type { GitProvider } from "./provider";
import { closeAfterEach } from "./testing/close-after-each";
import { expectNoHalfMadePullRequest } from "./testing/expect-no-half-made-pull-request";
import { fakeSealedSecret } from "./testing/git-fixture";
import { GITEA_REPOSITORY, startGiteaDouble, type GiteaDouble } from "./testing/gitea-double";
import { ROTATION_FILE, ROTATION_MANIFEST } from "./testing/rotation-proposal";

// The Git half of re-encryption on a forge double: one branch and one pull request for several
// SealedSecrets, and nothing left behind when the host refuses a step after the branch was created.

const closeLater = closeAfterEach<GiteaDouble>();
const OTHER_FILE = "clusters/prod/shop/api.yaml";
const OTHER_MANIFEST = `# shop api
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  annotations:
    sealedsecrets.bitnami.com/namespace-wide: "true"
  name: api
  namespace: shop
spec:
  encryptedData:
    token: AgOLDTOKEN==
  template:
    metadata:
      annotations:
        sealedsecrets.bitnami.com/namespace-wide: "true"
      name: api
      namespace: shop
`;
const NEW_KEY = "cd".repeat(32);

async function setup() {
  const double = closeLater(
    await startGiteaDouble({ [ROTATION_FILE]: ROTATION_MANIFEST, [OTHER_FILE]: OTHER_MANIFEST }),
  );
  const provider = createGiteaProvider({
    baseUrl: double.url,
    repository: GITEA_REPOSITORY,
    token: double.token,
  });
  return { double, provider };
}

function input(provider: GitProvider, baseHead: string, reviewers: string[] = []): ProposeReencryptionInput {
  const reencrypted = (manifest: ReturnType<typeof fakeSealedSecret>) => ({
    ...manifest,
    metadata: {
      ...manifest.metadata,
      annotations: { ...manifest.metadata.annotations, "sealdeck.io/sealed-with": NEW_KEY },
    },
  });
  return {
    provider,
    repository: { baseBranch: "main", branchPrefix: "sealdeck", labels: [], reviewers },
    cluster: "prod",
    baseHead,
    newestKey: NEW_KEY,
    files: [
      {
        cluster: "prod",
        path: ROTATION_FILE,
        manifest: reencrypted(
          fakeSealedSecret("payments", "db-credentials", {
            password: "AgNEWPASSWORD==",
            username: "AgNEWUSER==",
          }),
        ),
        previousKey: "ab".repeat(32),
      },
      {
        cluster: "prod",
        path: OTHER_FILE,
        manifest: reencrypted(fakeSealedSecret("shop", "api", { token: "AgNEWTOKEN==" }, "namespace-wide")),
        previousKey: null,
      },
    ],
    requestedBy: { name: "Sam Lead", email: "sam@example.test" },
  };
}

describe("proposeReencryption", () => {
  it("opens one pull request for every SealedSecret of the repository, files otherwise unchanged", async () => {
    const { double, provider } = await setup();
    const head = double.repo.branches.get("main")!;
    const result = await proposeReencryption(input(provider, head));
    expect(result.branch).toBe(`sealdeck/reencrypt/prod-${NEW_KEY.slice(0, 12)}`);
    expect(double.pulls.map((p) => [p.state, p.title])).toEqual([
      ["open", "Re-encrypt 2 SealedSecrets on prod with the newest sealing key"],
    ]);
    const api = (await provider.readFile(OTHER_FILE, result.branch))!.content;
    expect(api).toBe(
      OTHER_MANIFEST.replace("AgOLDTOKEN==", "AgNEWTOKEN==").replace(
        '    sealedsecrets.bitnami.com/namespace-wide: "true"\n  name: api',
        `    sealedsecrets.bitnami.com/namespace-wide: "true"\n    sealdeck.io/sealed-with: ${NEW_KEY}\n  name: api`,
      ),
    );
    const db = (await provider.readFile(ROTATION_FILE, result.branch))!.content;
    expect(db).toContain("password: AgNEWPASSWORD==");
    expect(db).toContain(`sealdeck.io/sealed-with: ${NEW_KEY}`);
  });

  it("deletes its branch and closes the pull request when the host refuses a later step", async () => {
    const { double, provider } = await setup();
    const head = double.repo.branches.get("main")!;
    double.failNext("POST", /requested_reviewers$/, {
      status: 422,
      body: { message: "reviewer does not exist" },
    });
    await expectNoHalfMadePullRequest(double, proposeReencryption(input(provider, head, ["ghost"])));
  });

  it("refuses, without touching it, when a re-encryption branch for this key already exists", async () => {
    const { double, provider } = await setup();
    const head = double.repo.branches.get("main")!;
    await proposeReencryption(input(provider, head));
    const branches = [...double.repo.branches.keys()];
    await expect(proposeReencryption(input(provider, head))).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already exists on branch sealdeck\/reencrypt\/prod-/),
    });
    expect([...double.repo.branches.keys()]).toEqual(branches);
    expect(double.pulls).toHaveLength(1);
  });
});
