import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { parse } from "yaml";
import { expect, test } from "./auth-fixtures";
import { mergeProposal } from "./merge-proposal";
import { recordRequests } from "./record-requests";
import {
  clusterSealingKeys,
  dumpDatabase,
  git,
  leakForms,
  readServerLog,
  removeMergedTestSecrets,
  unsealedSecret,
  unsealWith,
} from "./seal-propose-support";

// The developer's journey against the e2e server's two sandbox clusters and its local GitOps repository
// (plain git: a "pull request" is a branch there): seal a new secret for both clusters in the page, see it
// validated and proposed, decrypt what was committed with each cluster's own key, merge it and watch both
// sandboxes unseal it, then rotate one key and check the change touches only that value.
test.use({ role: "developer" });
// Sealing for two clusters, proposing, and the GitOps poll after a merge: allow for a busy machine.
// In order, in one worker: afterAll removes what the journey merged, so it must not run beside it.
test.describe.configure({ mode: "default", timeout: 240_000 });

// A merged test secret must not outlive the run (see removeMergedTestSecrets), even when a test fails.
test.beforeAll(removeMergedTestSecrets);
test.afterAll(removeMergedTestSecrets);

const clusters = ["sandbox", "sandbox-2"] as const;
const namespace = "staging"; // granted to the demo developer (lib/auth/demo-users.ts)
const random = (prefix: string) => `${prefix}-${randomBytes(18).toString("base64url")}`;

type SealedSecretFile = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { encryptedData: Record<string, string> };
};

async function fillSecret(page: Page, name: string, entries: [key: string, value: string][]) {
  for (const cluster of clusters) await page.getByRole("checkbox", { name: cluster, exact: true }).check();
  await page.getByLabel("Namespace", { exact: true }).selectOption(namespace);
  await page.getByLabel("Secret name").fill(name);
  for (const [index, [key, value]] of entries.entries()) {
    if (index > 0) await page.getByRole("button", { name: "Add a key" }).click();
    await page.getByLabel(`Key ${index + 1}`, { exact: true }).fill(key);
    await page.getByLabel(`Value ${index + 1}`, { exact: true }).fill(value);
  }
  for (const cluster of clusters)
    await expect(page.getByTestId(`certificate-fingerprint-${cluster}`)).toContainText(
      /SHA-256 [0-9a-f]{64}/,
    );
}

/** Submits, checks each step, commits at "Where it goes", and returns the proposal's branch. */
async function sealAndPropose(
  page: Page,
  name: string,
  expectedClusters: readonly string[],
): Promise<string> {
  await page.getByRole("button", { name: /^Seal and propose/ }).click();
  const results = page.getByRole("list", { name: "Validation results" });
  for (const cluster of expectedClusters)
    await expect(results.getByRole("listitem").filter({ hasText: new RegExp(`^${cluster}:`) })).toContainText(
      "the controller can decrypt it",
    );
  for (const cluster of expectedClusters)
    await expect(page.getByLabel(`File for ${cluster}`, { exact: true })).toHaveValue(
      `${cluster}/${namespace}/${name}.sealedsecret.yaml`,
    );
  // What will be committed, per cluster, with the certificate it was sealed with.
  for (const cluster of expectedClusters) {
    await expect(page.getByTestId(`preview-${cluster}`)).toContainText(
      `${cluster}/${namespace}/${name}.sealedsecret.yaml`,
    );
    await expect(page.getByTestId(`preview-fingerprint-${cluster}`)).toHaveText(/^SHA-256 [0-9a-f]{64}$/);
  }
  await page.getByRole("button", { name: "Commit and open the pull request" }).click();
  const branch = (await page.getByTestId("pull-request-branch").textContent({ timeout: 60_000 })) ?? "";
  expect(branch).toContain(name);
  // The result takes the focus; the values cleared on purpose are not reported as missing.
  await expect(page.getByTestId("proposal-result")).toBeFocused();
  await expect(page.getByText(/needs a value/)).toHaveCount(0);
  await expect(page.getByTestId("pull-request-url")).toContainText(branch);
  return branch;
}

function readManifest(ref: string, cluster: string, name: string): SealedSecretFile {
  return parse(git("show", `${ref}:${cluster}/${namespace}/${name}.sealedsecret.yaml`)) as SealedSecretFile;
}

test("seal a 3-key secret for two clusters, merge it, see it unsealed, then rotate one key", async ({
  page,
}) => {
  const name = `e2e-${randomBytes(4).toString("hex")}`;
  const values: Record<string, string> = {
    API_KEY: random("api"),
    DB_PASSWORD: random("db"),
  };
  await page.goto("/seal");
  await fillSecret(page, name, Object.entries(values));
  // The third value is generated in the page (crypto.getRandomValues).
  await page.getByRole("button", { name: "Add a key" }).click();
  await page.getByLabel("Key 3", { exact: true }).fill("SESSION_SECRET");
  await page.getByRole("button", { name: "Generate…" }).nth(2).click();
  await page.getByLabel("Length").fill("48");
  await page.getByRole("button", { name: "Generate value 3" }).click();
  values.SESSION_SECRET = await page.getByLabel("Value 3", { exact: true }).inputValue();
  expect(values.SESSION_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
  await page.getByLabel(/^Reason/).fill("e2e: new service credentials");
  // Git was asked about the name before anything is sealed: a new file on each cluster.
  await expect(page.getByRole("status", { name: "Manifest in Git" })).toContainText(
    `New in Git for ${clusters.join(", ")}: written to ${clusters.map((c) => `${c}/${namespace}/${name}.sealedsecret.yaml`).join(", ")}.`,
  );

  const branch = await sealAndPropose(page, name, clusters);
  // Values are cleared from the form once sealed.
  for (const n of [1, 2, 3]) await expect(page.getByLabel(`Value ${n}`, { exact: true })).toHaveValue("");

  // The branch holds one file per cluster; each decrypts with its own cluster's keys, not the other's.
  git("rev-parse", "--verify", `refs/heads/${branch}`);
  const keys = Object.fromEntries(
    await Promise.all(clusters.map(async (c) => [c, await clusterSealingKeys(c)] as const)),
  );
  const label = `${namespace}/${name}`;
  for (const cluster of clusters) {
    const manifest = readManifest(branch, cluster, name);
    expect(manifest.metadata).toMatchObject({ name, namespace });
    const entries = Object.entries(manifest.spec.encryptedData);
    expect(entries.map(([key]) => key).sort()).toEqual(Object.keys(values).sort());
    const items = entries.map(([, ciphertext]) => ({ ciphertext, label }));
    expect(unsealWith(keys[cluster]!, items)).toEqual(entries.map(([key]) => values[key]));
    const other = clusters.find((c) => c !== cluster)!;
    expect(unsealWith(keys[other]!, items)).toEqual(entries.map(() => null));
  }

  // Merge the "pull request"; the sandboxes' GitOps emulation applies main and the controllers unseal.
  await mergeProposal(branch);
  for (const cluster of clusters)
    await expect.poll(() => unsealedSecret(cluster, namespace, name), { timeout: 60_000 }).toEqual(values);
  await page.goto(`/secrets/sandbox-2/${namespace}/SealedSecret/${name}`);
  await expect(page.getByRole("heading", { level: 1, name: `${namespace}/${name}` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Target Secret" })).toContainText(/Exists\s*yes/);

  // Rotate one key from the secret's page: the form asks for that value only.
  await page.goto(`/secrets/sandbox/${namespace}/SealedSecret/${name}`);
  await page.getByRole("button", { name: "Rotate keys…" }).click();
  await page.getByRole("checkbox", { name: "DB_PASSWORD" }).check();
  await page.getByRole("button", { name: "Rotate DB_PASSWORD" }).click();
  await expect(page).toHaveURL(/\/seal\?cluster=sandbox&namespace=staging&name=.*&rotate=DB_PASSWORD$/);
  await expect(page.getByRole("note", { name: "Rotation" })).toContainText("Scope strict");
  await expect(page.getByLabel("Key 1", { exact: true })).toHaveValue("DB_PASSWORD");
  await expect(page.getByLabel("Key 2", { exact: true })).toHaveCount(0);
  const rotated = random("db-rotated");
  await page.getByLabel("Value 1", { exact: true }).fill(rotated);
  await expect(page.getByTestId("certificate-fingerprint-sandbox")).toContainText("SHA-256");
  const rotationBranch = await sealAndPropose(page, name, ["sandbox"]);

  const path = `sandbox/${namespace}/${name}.sealedsecret.yaml`;
  const changed = git("diff", "--unified=0", "main", rotationBranch, "--", ".")
    .split("\n")
    .filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
  expect(changed).toHaveLength(2);
  expect(changed[0]).toMatch(/^-\s+DB_PASSWORD: /);
  expect(changed[1]).toMatch(/^\+\s+DB_PASSWORD: /);
  expect(git("diff", "--name-only", "main", rotationBranch).trim()).toBe(path);
  const after = readManifest(rotationBranch, "sandbox", name);
  expect(unsealWith(keys.sandbox!, [{ ciphertext: after.spec.encryptedData.DB_PASSWORD!, label }])).toEqual([
    rotated,
  ]);
});

test("no plaintext leaves the browser: not in requests, storage, the server's log or the database", async ({
  page,
  context,
}) => {
  const name = `e2e-leak-${randomBytes(4).toString("hex")}`;
  const typed = random("typed");
  const uploaded = random("uploaded");
  const plaintexts = [typed, uploaded];

  const sent = recordRequests(page);

  await page.goto("/seal");
  await fillSecret(page, name, [["TYPED", typed]]);
  await page.getByRole("button", { name: "Add a key" }).click();
  await page.getByLabel("Key 2", { exact: true }).fill("UPLOADED");
  await page.getByLabel("File for key 2").setInputFiles({
    name: "value.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(uploaded, "utf8"),
  });
  await expect(page.getByText(/File value\.txt \(\d+ bytes\)/)).toBeVisible();
  await sealAndPropose(page, name, clusters);
  // Let the page settle so every request it made has been recorded.
  await page.waitForLoadState("networkidle");

  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  );
  const cookies = JSON.stringify(await context.cookies());
  const log = readServerLog();
  const database = await dumpDatabase();
  const repository = git("log", "--all", "-p");
  expect(sent.length).toBeGreaterThan(0);
  expect(database).toContain(name); // the proposal and its audit event are there, by name only
  for (const plaintext of plaintexts) {
    for (const form of leakForms(plaintext)) {
      expect(
        sent.filter((entry) => entry.includes(form)),
        "requests carrying a plaintext",
      ).toEqual([]);
      expect(storage.includes(form), "browser storage holds a plaintext").toBe(false);
      expect(cookies.includes(form), "a cookie holds a plaintext").toBe(false);
      expect(log.includes(form), "the server's log holds a plaintext").toBe(false);
      expect(database.includes(form), "the database holds a plaintext").toBe(false);
      expect(repository.includes(form), "the Git repository holds a plaintext").toBe(false);
    }
  }
});

test("leaving the form with unsealed values asks first", async ({ page }) => {
  await page.goto("/seal");
  await page.getByLabel("Value 1", { exact: true }).fill(random("unsaved"));
  const secretsLink = page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Secrets", exact: true });

  const asked: string[] = [];
  page.once("dialog", (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  });
  await secretsLink.click();
  await expect.poll(() => asked).toEqual(["confirm"]);
  await expect(page).toHaveURL(/\/seal$/);
  await expect(page.getByLabel("Value 1", { exact: true })).not.toHaveValue("");

  page.once("dialog", (dialog) => void dialog.accept());
  await secretsLink.click();
  await expect(page).toHaveURL(/\/secrets$/);
});
