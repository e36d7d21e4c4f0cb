import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { buildSealedSecret, loadSealingKey } from "../lib/sealing";
import { demoManifestPath } from "../sandbox/seed/demo-history";
import { expect, test } from "./auth-fixtures";
import { mergeAsSecurityLead } from "./merge-as-security-lead";
import { recordRequests } from "./record-requests";
import { git, kubeSend, leakForms, unsealedSecret } from "./seal-propose-support";

// The developer's rotate journeys as a person walks them, against the e2e server's sandbox clusters and
// its local GitOps repository (plain git: a "pull request" is a branch): from the secret's page to
// "Rotate", the form telling before any value is typed whether Git holds the secret, the value masked
// while typed, a preview of what will be committed, the pull request, its merge by a security lead (the
// developer has no Merge button) and the developer seeing it merged, and the sandbox's GitOps sync
// applying it until the controller unseals the new value.
// The new-secret journey (seal → pull request → merge → applied) is e2e/seal-propose.spec.ts.
test.use({ role: "developer" });
test.describe.configure({ mode: "default", timeout: 240_000 });

const random = (prefix: string) => `${prefix}-${randomBytes(18).toString("base64url")}`;

/** From the secret's page: "Rotate keys…", tick the key, open the seal form for it. */
async function openRotation(page: Page, cluster: string, namespace: string, name: string, key: string) {
  await page.goto(`/secrets/${cluster}/${namespace}/SealedSecret/${name}`);
  // The secret page took 6–20 s to load on a busy 2-core machine (README, issue #16).
  await expect(page.getByRole("heading", { level: 1, name: `${namespace}/${name}` })).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole("button", { name: "Rotate keys…" }).click();
  // Nothing ticked yet: the disabled button says what it waits for.
  await expect(page.getByRole("button", { name: "Rotate selected keys" })).toHaveAccessibleDescription(
    "Tick at least one key above.",
  );
  await page.getByRole("checkbox", { name: key }).check();
  await page.getByRole("button", { name: `Rotate ${key}` }).click();
  await expect(page).toHaveURL(
    new RegExp(`/seal\\?cluster=${cluster}&namespace=${namespace}&name=${name}&rotate=${key}$`),
  );
}

/** Types the value masked, checks the reveal toggle, and masks it again. */
async function typeMaskedValue(page: Page, value: string) {
  const field = page.getByLabel("Value 1", { exact: true });
  await expect(field).toHaveAttribute("data-masked", "true");
  await field.fill(value);
  const reveal = page.getByRole("button", { name: "Show value 1" });
  await reveal.click();
  await expect(reveal).toHaveAttribute("aria-pressed", "true");
  await expect(field).toHaveAttribute("data-masked", "false");
  await reveal.press("Space");
  await expect(field).toHaveAttribute("data-masked", "true");
}

/** Seal, check the preview (its certificate and its lines), commit, and see the result take the focus. */
async function proposeWithPreview(page: Page, cluster: string, path: string, source: RegExp) {
  const fingerprint = (await page.getByTestId(`certificate-fingerprint-${cluster}`).textContent()) ?? "";
  expect(fingerprint).toMatch(/SHA-256 [0-9a-f]{64}/);
  await page.getByRole("button", { name: /^Seal and propose/ }).click();
  // The form locks while sealing: focus moves to the progress rather than falling to the page.
  await expect(page.getByRole("heading", { name: /^Proposing / })).toBeFocused();
  await expect(page.getByLabel(`File for ${cluster}`, { exact: true })).toHaveValue(path);
  const preview = page.getByTestId(`preview-${cluster}`);
  await expect(preview).toContainText(source);
  await expect(page.getByTestId(`preview-fingerprint-${cluster}`)).toHaveText(
    fingerprint.match(/SHA-256 [0-9a-f]{64}/)![0],
  );
  await page.getByRole("button", { name: "Commit and open the pull request" }).click();
  const result = page.getByTestId("proposal-result");
  await expect(result).toBeFocused({ timeout: 60_000 });
  // The form was reset cleanly: the values it cleared on purpose are not reported as missing.
  await expect(page.getByText(/needs a value/i)).toHaveCount(0);
  await expect(page.getByRole("alert", { name: "Problems to fix" })).toHaveCount(0);
  return (await result.getByTestId("pull-request-branch").textContent()) ?? "";
}

function expectNoLeak(sent: string[], plaintext: string) {
  expect(sent.length).toBeGreaterThan(0);
  for (const form of leakForms(plaintext))
    expect(
      sent.filter((entry) => entry.includes(form)),
      "requests carrying a plaintext",
    ).toEqual([]);
}

test("rotate a demo secret: found in Git before typing, previewed, proposed, merged and applied", async ({
  page,
  browser,
}) => {
  // sandbox-2, so it does not meet the security lead's rotation journey on sandbox (e2e/rotations.spec.ts).
  const [cluster, namespace, name, key] = ["sandbox-2", "development", "api-keys", "MAPS_API_KEY"] as const;
  const path = demoManifestPath(cluster, "SealedSecret", namespace, name);
  const sent = recordRequests(page);
  await openRotation(page, cluster, namespace, name, key);
  await expect(page.getByRole("list", { name: "Manifests in Git" })).toContainText(
    `In Git for ${cluster}: ${path}`,
  );
  await expect(page.getByRole("group", { name: /No manifest of/ })).toHaveCount(0);
  const value = random("maps");
  await typeMaskedValue(page, value);
  const branch = await proposeWithPreview(page, cluster, path, /changes to the file in Git/);
  // The result leads back to the rotated secret, not into the same rotation again.
  const secretPage = `/secrets/${cluster}/${namespace}/SealedSecret/${name}`;
  await expect(page.getByRole("link", { name: `Back to ${namespace}/${name}` })).toHaveAttribute(
    "href",
    secretPage,
  );
  // The diff replaces the one key's line.
  expect(git("diff", "--name-only", "main", branch).trim()).toBe(path);

  await mergeAsSecurityLead(browser, page, branch);
  await expect
    .poll(async () => (await unsealedSecret(cluster, namespace, name))?.[key], { timeout: 90_000 })
    .toBe(value);
  // Back on the secret's page, its events count the rotation's unseal too (the controller's recorder
  // folds an identical event into one, "×2").
  await page.goto(secretPage);
  await expect(page.getByRole("region", { name: "Recent events" })).toContainText(
    /Unsealed.*×([2-9]|\d{2,})/,
    {
      timeout: 60_000,
    },
  );
  expectNoLeak(sent, value);
});

test.describe("a secret Git does not hold", () => {
  const cluster = "sandbox";
  const namespace = "staging";
  // Not e2e-<hex>: e2e/seal-propose.spec.ts removes those from main while this runs beside it.
  const name = `journey-${randomBytes(4).toString("hex")}`;
  const path = `${cluster}/${namespace}/${name}.sealedsecret.yaml`;
  const endpoint = random("endpoint");

  test.afterAll(async () => {
    if (git("ls-tree", "--name-only", "main", "--", path).trim() !== "") {
      git("rm", "-q", "--", path);
      git("commit", "-q", "-m", `e2e: remove the developer journey's ${name}`);
    }
    await kubeSend(
      cluster,
      "DELETE",
      `/apis/bitnami.com/v1alpha1/namespaces/${namespace}/sealedsecrets/${name}`,
    );
  });

  test("is offered for adoption before typing, proposed with its cluster manifest, merged and applied", async ({
    page,
    browser,
  }) => {
    // Applied straight to the cluster, as with kubectl: sealed here in Node with the controller's certificate.
    const pem = await kubeSend(
      cluster,
      "GET",
      "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem",
    );
    expect(pem.status).toBe(200);
    const live = await buildSealedSecret(
      {
        name,
        namespace,
        entries: [
          { key: "API_TOKEN", value: random("old-token") },
          { key: "ENDPOINT", value: endpoint },
        ],
      },
      await loadSealingKey(pem.text),
      { scope: "strict" },
    );
    const created = await kubeSend(
      cluster,
      "POST",
      `/apis/bitnami.com/v1alpha1/namespaces/${namespace}/sealedsecrets`,
      live,
    );
    expect(created.status, created.text).toBe(201);
    await expect.poll(() => unsealedSecret(cluster, namespace, name), { timeout: 60_000 }).not.toBeNull();

    const sent = recordRequests(page);
    await openRotation(page, cluster, namespace, name, "API_TOKEN");
    const choice = page.getByRole("group", { name: `No manifest of ${namespace}/${name} in Git` });
    await expect(choice).toContainText(`${cluster}: would be written to ${path}`);
    // No value can be typed into a dead end: the choice comes first.
    await expect(page.getByLabel("Value 1", { exact: true })).toBeDisabled();
    await choice.getByRole("radio", { name: /Reseal all keys/ }).focus();
    await page.keyboard.press("Space");
    await expect(page.getByLabel("Key 2", { exact: true })).toHaveValue("ENDPOINT");
    await page.keyboard.press("ArrowUp");
    await expect(choice.getByRole("radio", { name: /Adopt it/ })).toBeChecked();
    await expect(page.getByLabel("Key 2", { exact: true })).toHaveCount(0);
    await expect(page.getByLabel("Value 1", { exact: true })).toBeEnabled();

    const token = random("new-token");
    await typeMaskedValue(page, token);
    const branch = await proposeWithPreview(page, cluster, path, /adopted into Git/);
    const committed = git("show", `${branch}:${path}`);
    expect(committed).toContain(live.spec.encryptedData.ENDPOINT);
    expect(committed).not.toContain(live.spec.encryptedData.API_TOKEN);

    await mergeAsSecurityLead(browser, page, branch);
    await expect
      .poll(() => unsealedSecret(cluster, namespace, name), { timeout: 90_000 })
      .toEqual({ API_TOKEN: token, ENDPOINT: endpoint });
    expectNoLeak(sent, token);
  });
});
