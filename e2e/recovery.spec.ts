import {
  constants,
  createCipheriv,
  createHash,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { authFile, expect, serverOf, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";
import { mergeAsSecurityLead } from "./merge-as-security-lead";
import { git, gitopsRepo } from "./seal-propose-support";

// The Recovery page (issue #21) on the shared production sandbox, without losing its keys: the demo's
// production/legacy-payment-gateway is sealed with a key no controller holds, so each cluster shows a
// lost-key incident. The restore check runs in the browser and refuses a private key.
const interop = join(import.meta.dirname, "..", "lib/sealing/testdata/interop");
// The campaign test below makes sandbox-2 show a developer's secret in its incident, which the developer
// test must not see: the file's tests run in order, in one worker.
test.describe.configure({ mode: "default" });

test.describe("as a security lead", () => {
  test.use({ role: "security-lead" });

  test("sees the lost-key incident, the restore commands first, and checks a backup certificate", async ({
    page,
  }) => {
    const problems = guardConsole(page);
    await page.goto("/recovery");
    await expect(page.getByRole("heading", { level: 1, name: "Recovery" })).toBeVisible();
    const incident = page.getByRole("region", { name: "Lost sealing key on sandbox", exact: true });
    await expect(incident).toBeVisible();
    await expect(
      incident.getByRole("cell", { name: "production/legacy-payment-gateway", exact: true }),
    ).toBeVisible();
    await expect(
      incident.getByText("kubectl --context sandbox apply -n kube-system -f sealed-secrets-key-backup.yaml"),
    ).toBeVisible();

    const check = incident.getByRole("form", { name: "Check a key backup for sandbox" });
    const field = check.getByRole("textbox");
    await field.fill(readFileSync(join(interop, "tls.key"), "utf8"));
    await check.getByRole("button", { name: "Check backup" }).click();
    await expect(check.getByRole("alert")).toContainText("PRIVATE KEY");

    await field.fill(readFileSync(join(interop, "tls.crt"), "utf8"));
    await check.getByRole("button", { name: "Check backup" }).click();
    // The demo key is one the controller holds, not the missing one.
    await expect(check.getByRole("status")).toContainText(/not a missing one|Does not match/);

    await incident.getByRole("link", { name: "Re-seal production/legacy-payment-gateway" }).click();
    await expect(page).toHaveURL(/\/seal\?.*name=legacy-payment-gateway.*rotate=GATEWAY_API_KEY/);
    expect(problems()).toEqual([]);
  });
});

test.describe("as a developer", () => {
  test.use({ role: "developer" });

  test("sees only the incidents of their namespaces", async ({ page }) => {
    await page.goto("/recovery");
    await expect(page.getByText("No lost sealing key")).toBeVisible();
  });
});

// The re-seal campaign through real merges (issue #21), on sandbox-2: losing all of its keys would break
// the demo secrets other specs read there, so one dedicated SealedSecret, sealed with a key the cluster
// does not hold (what a deleted key leaves behind), joins the demo's production/legacy-payment-gateway
// in the cluster's incident. The security lead starts the campaign, the developer re-seals theirs, the lead
// re-seals the production one into the developer's pull request (one per repository), one Merge merges
// both; the sandbox applies main, and the campaign closes.
const campaignCluster = "sandbox-2";
const legacyPath = `${campaignCluster}/production/legacy-payment-gateway.sealedsecret.yaml`;

/** Commits one file's content (or its removal) to main of the e2e repository, meeting other specs' git. */
async function commitToMain(path: string, content: string | null, message: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (content === null) git("rm", "-q", "--ignore-unmatch", "--", path);
      else {
        writeFileSync(join(gitopsRepo, path), content);
        git("add", "--", path);
      }
      if (git("diff", "--cached", "--name-only", "--", path).trim() !== "")
        git("commit", "-q", "-m", message, "--", path);
      return;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("index.lock")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** A strict-scope SealedSecret whose value is sealed, in upstream's format, with a key made and dropped here. */
function sealedWithALostKey(namespace: string, name: string, key: string): string {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 4096 });
  const sessionKey = randomBytes(32);
  const rsa = publicEncrypt(
    {
      key: publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: "sha256",
      oaepLabel: Buffer.from(`${namespace}/${name}`),
    },
    sessionKey,
  );
  const aes = createCipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12));
  const body = Buffer.concat([aes.update(randomBytes(24).toString("hex")), aes.final(), aes.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  const ciphertext = Buffer.concat([length, rsa, body]).toString("base64");
  const sealedWith = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
  return `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    sealdeck.io/sealed-with: ${sealedWith}
  labels:
    sealdeck.io/team: e2e
spec:
  encryptedData:
    ${key}: ${ciphertext}
  template:
    metadata:
      name: ${name}
      namespace: ${namespace}
    type: Opaque
`;
}

/**
 * "Re-seal" in the campaign's row: the seal form for all keys, a value each, and the pull request's branch;
 * `join`: the campaign's open pull request's branch, to add to it instead of opening its own.
 */
async function reseal(
  page: Page,
  campaignOf: (page: Page) => ReturnType<Page["getByRole"]>,
  secret: string,
  join?: string,
) {
  await campaignOf(page)
    .getByRole("link", { name: `Re-seal ${secret}` })
    .click();
  const [namespace, name] = secret.split("/");
  await expect(page).toHaveURL(
    new RegExp(`/seal\\?cluster=${campaignCluster}&namespace=${namespace}&name=${name}&rotate=`),
  );
  await page.getByLabel("Value 1", { exact: true }).fill(`resealed-${randomBytes(12).toString("hex")}`);
  await expect(page.getByTestId(`certificate-fingerprint-${campaignCluster}`)).toContainText("SHA-256");
  await page.getByRole("button", { name: /^Seal and propose/ }).click();
  const commit = page.getByRole("button", { name: "Commit and open the pull request" });
  await expect(commit).toBeVisible({ timeout: 60_000 });
  if (join) {
    await expect(page.getByRole("radio", { name: "Its own pull request" })).toBeChecked();
    await expect(page.getByTestId("preview-compared-with")).toContainText(
      /^Compared with main at [0-9a-f]{7}\./,
    );
    // Keyboard-usable: the campaign's choice is the next radio of the group.
    await page.getByRole("radio", { name: "Its own pull request" }).press("ArrowDown");
    await expect(
      page.getByRole("radio", { name: /^Add to the campaign's pull request .*\(1 secret\)$/ }),
    ).toBeChecked();
    // The preview now shows what the commit changes on that pull request's branch.
    await expect(page.getByTestId("preview-compared-with")).toContainText(
      new RegExp(`^Compared with ${join} at [0-9a-f]{7}, the campaign's pull request\\.`),
    );
  }
  await commit.click();
  const result = page.getByTestId("proposal-result");
  await expect(result).toBeFocused({ timeout: 60_000 });
  return ((await result.getByTestId("pull-request-branch").textContent()) ?? "").trim();
}

test.describe("a re-seal campaign", () => {
  test.use({ role: "developer" });

  test("a developer and a security lead re-seal, merge, and the campaign closes when the cluster is healthy", async ({
    page,
    browser,
  }, testInfo) => {
    test.setTimeout(240_000);
    const name = `e2e-campaign-${randomBytes(4).toString("hex")}`;
    const mine = `development/${name}`;
    const path = `${campaignCluster}/development/${name}.sealedsecret.yaml`;
    const legacyOnMain = git("show", `main:${legacyPath}`);
    const lead = await browser.newContext({
      storageState: authFile(serverOf(testInfo.project.name), "security-lead"),
    });
    // Several campaigns of sandbox-2 may be listed (earlier runs' closed ones): this run's holds its secret.
    const campaignOf = (p: Page) =>
      p
        .getByRole("region", { name: `Re-seal campaign on ${campaignCluster}`, exact: true })
        .filter({ has: p.getByRole("cell", { name: mine, exact: true }) });
    try {
      await commitToMain(path, sealedWithALostKey("development", name, "API_TOKEN"), `e2e: ${mine}`);
      const leadPage = await lead.newPage();
      const problems = guardConsole(leadPage);
      await leadPage.goto("/recovery");
      const incident = leadPage.getByRole("region", {
        name: `Lost sealing key on ${campaignCluster}`,
        exact: true,
      });
      // The sandbox applies main every few seconds; the page polls the incident.
      await expect(incident.getByRole("cell", { name: mine, exact: true })).toBeVisible({ timeout: 60_000 });
      await expect(
        incident.getByRole("cell", { name: "production/legacy-payment-gateway", exact: true }),
      ).toBeVisible();
      await incident.getByRole("button", { name: "Start re-seal campaign" }).click();
      await expect(campaignOf(leadPage).getByRole("heading")).toContainText("0 of 2 healthy");

      // The developer sees the campaign with only their secret, and re-seals it.
      await page.goto("/recovery");
      await expect(campaignOf(page).getByRole("cell", { name: /legacy-payment-gateway/ })).toHaveCount(0);
      const developerBranch = await reseal(page, campaignOf, mine);
      await page.goto("/recovery");
      await expect(campaignOf(page).locator('[data-state="proposed"]')).toHaveText("Pull request open", {
        timeout: 30_000,
      });

      // The lead re-seals the production one into the developer's pull request: one per repository.
      await leadPage.goto("/recovery");
      const leadBranch = await reseal(
        leadPage,
        campaignOf,
        "production/legacy-payment-gateway",
        developerBranch,
      );
      expect(leadBranch).toBe(developerBranch);
      await expect(leadPage.getByTestId("shared-pull-request")).toContainText("holds 2 secrets");

      // One Merge, by a lead through the Changes page, merges both secrets.
      await mergeAsSecurityLead(browser, page, developerBranch);

      // The sandbox applies main, the controller unseals both, the campaign closes itself.
      await leadPage.goto("/recovery");
      await expect(campaignOf(leadPage).getByRole("heading")).toContainText(/2 of 2 healthy \(closed /, {
        timeout: 120_000,
      });
      await expect(campaignOf(leadPage).getByRole("link", { name: /^Re-seal / })).toHaveCount(0);
      await expect(
        leadPage.getByRole("region", { name: `Lost sealing key on ${campaignCluster}`, exact: true }),
      ).toHaveCount(0);

      // The audit holds every step: started, each proposal and merge, closed.
      const events = async (query: string) => {
        const response = await leadPage.request.get(`/api/audit/events?limit=200&${query}`);
        expect(response.status()).toBe(200);
        return ((await response.json()) as { events: { action: string; details: { affected?: string[] } }[] })
          .events;
      };
      const campaign = (await events(`action=recovery.campaign&cluster=${campaignCluster}`)).filter((e) =>
        e.details.affected?.includes(mine),
      );
      expect(campaign.map((e) => e.action).sort()).toEqual([
        "recovery.campaign.closed",
        "recovery.campaign.started",
      ]);
      for (const [secret, proposed] of [
        [mine, "pull_request.opened"],
        ["production/legacy-payment-gateway", "pull_request.updated"],
      ] as const) {
        const [namespace, secretName] = secret.split("/");
        const actions = (
          await events(`cluster=${campaignCluster}&namespace=${namespace}&name=${secretName}`)
        ).map((e) => e.action);
        expect(actions).toEqual(
          expect.arrayContaining(["secret.seal.requested", proposed, "pull_request.merged"]),
        );
      }
      expect(problems()).toEqual([]);
    } finally {
      await lead.close();
      // Back to the demo's state for the next run: the dedicated secret gone, the legacy one unopenable.
      await commitToMain(path, null, `e2e: remove ${mine}`);
      await commitToMain(legacyPath, legacyOnMain, "e2e: the demo's legacy-payment-gateway again");
    }
  });
});
