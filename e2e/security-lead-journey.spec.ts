import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { demoUsers } from "../lib/auth/demo-users";
import { buildSealedSecret, loadSealingKey } from "../lib/sealing";
import { expect, test } from "./auth-fixtures";
import { git, kubeSend } from "./seal-propose-support";

// The security lead's journey as a person walks it (issue #16): sign in → Rotations (overdue keys,
// filters) → a rotation policy for a namespace → a waiver → the secret → its pull request merged with the
// Merge button on the Changes page → the merge recorded with the real merge commit and who merged → the
// rotation report. Its own namespace and SealedSecret (applied straight to the sandbox, as kubectl
// would), so the policy and the waiver change no key the other specs count.

const lead = demoUsers.find((user) => user.role === "security-lead")!;
const cluster = "sandbox";
const namespace = `lead-${randomBytes(4).toString("hex")}`;
const name = "billing-api";
const key = "WEBHOOK_SECRET";
const path = `${cluster}/${namespace}/${name}.sealedsecret.yaml`;
const FIRST_ROWS = { timeout: 60_000 };

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  const ns = await kubeSend(cluster, "POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  expect(ns.status, ns.text).toBe(201);
  const pem = await kubeSend(
    cluster,
    "GET",
    "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem",
  );
  expect(pem.status).toBe(200);
  const sealed = await buildSealedSecret(
    {
      name,
      namespace,
      entries: [{ key, value: `old-${randomBytes(18).toString("base64url")}` }],
    },
    await loadSealingKey(pem.text),
    { scope: "strict" },
  );
  const created = await kubeSend(
    cluster,
    "POST",
    `/apis/bitnami.com/v1alpha1/namespaces/${namespace}/sealedsecrets`,
    sealed,
  );
  expect(created.status, created.text).toBe(201);
});

test.afterAll(async () => {
  if (git("ls-tree", "--name-only", "main", "--", path).trim() !== "") {
    git("rm", "-q", "--", path);
    git("commit", "-q", "-m", `e2e: remove the security lead journey's ${namespace}`);
  }
  await kubeSend(cluster, "DELETE", `/api/v1/namespaces/${namespace}`);
});

/** The row of this journey's key in the Rotations table. */
const keyRow = (page: Page) =>
  page
    .getByRole("grid", { name: "Keys and their rotation schedule" })
    .locator(
      `[data-testid="rotation-row"][data-secret="${cluster}/${namespace}/${name}"][data-key="${key}"]`,
    );

test("security lead: overdue keys, a namespace policy, a waiver, Merge on the Changes page, the report", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(lead.username);
    await page.getByLabel("Password").fill(lead.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("button", { name: `Account: ${lead.displayName}` })).toBeVisible({
      timeout: 60_000,
    });

    // Rotations: what is overdue first, then narrowed to one namespace.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rotations" }).click();
    await page.getByTestId("rotation-count-overdue").click(FIRST_ROWS);
    await expect(page).toHaveURL(/status=overdue/);
    const grid = page.getByRole("grid", { name: "Keys and their rotation schedule" });
    await expect(grid.getByTestId("rotation-row").first()).toHaveAttribute(
      "data-status",
      "overdue",
      FIRST_ROWS,
    );
    await page.getByTestId("rotation-count-overdue").click();
    await expect(page).not.toHaveURL(/status=overdue/);
    await page.getByLabel("Namespace").fill(namespace);
    await expect(page).toHaveURL(new RegExp(`namespace=${namespace}`));
    // A key just applied is young: the default policy (90 days) has it compliant or not yet known.
    await expect(keyRow(page)).toBeVisible(FIRST_ROWS);
    await expect(keyRow(page)).toContainText("90d · default");

    // A stricter policy for the namespace: a week.
    await page.getByRole("button", { name: "Add policy" }).click();
    const form = page.getByRole("form", { name: "Add policy" });
    await form.getByLabel("Level").selectOption("namespace");
    await form.getByLabel(/^Max age/).fill("7d");
    await form.getByLabel(/^Cluster/).fill(cluster);
    await form.getByLabel("Namespace", { exact: true }).fill(namespace);
    await form.getByLabel(/^Note/).fill("Billing webhooks rotate weekly");
    await form.getByRole("button", { name: "Add policy" }).click();
    const policies = page.getByTestId("rotation-policies");
    await expect(policies).toContainText(`namespace ${namespace} on ${cluster}`);
    await expect(policies).toContainText("7 days");
    // The schedule is recomputed with the new policy; the page shows it on its next load.
    await expect(async () => {
      await page.reload();
      await expect(keyRow(page)).toContainText(/7d · namespace/, { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(keyRow(page)).not.toHaveAttribute("data-status", "compliant");

    // A waiver for the key, with its reason.
    await keyRow(page).getByRole("button", { name: "Waive…" }).click();
    const dialog = page.getByRole("dialog", { name: `Waive rotation of ${key}` });
    await dialog.getByLabel("Reason").fill("Provider rotates it on their side until the migration");
    await dialog.getByRole("button", { name: "Grant waiver" }).click();
    await expect(dialog).toBeHidden();
    await expect(async () => {
      await page.reload();
      await expect(keyRow(page)).toHaveAttribute("data-status", "waived", { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });

    // The secret, and a pull request for it (Git does not hold it yet: adopted in the same pull request).
    await keyRow(page)
      .getByRole("link", { name: `${namespace}/${name} · SealedSecret` })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: `${namespace}/${name}` })).toBeVisible();
    await page.getByRole("button", { name: "Rotate keys…" }).click();
    await page.getByRole("checkbox", { name: key }).check();
    await page.getByRole("button", { name: `Rotate ${key}` }).click();
    await page
      .getByRole("group", { name: `No manifest of ${namespace}/${name} in Git` })
      .getByRole("radio", { name: /Adopt it/ })
      .check();
    await page.getByLabel("Value 1", { exact: true }).fill(`new-${randomBytes(18).toString("base64url")}`);
    await page.getByRole("button", { name: /^Seal and propose/ }).click();
    await page.getByRole("button", { name: "Commit and open the pull request" }).click();
    const branch = (await page.getByTestId("pull-request-branch").textContent({ timeout: 60_000 })) ?? "";
    expect(branch).not.toBe("");

    // Changes: the open pull request, merged with its button.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
    const merge = page.getByRole("button", { name: `Merge ${branch} into main` });
    await merge.click();
    const merged = page.getByRole("status").filter({ hasText: `Merged ${branch} into main as ` });
    await expect(merged).toHaveText(/ as [0-9a-f]{7}\.$/, { timeout: 60_000 });
    const short = / as ([0-9a-f]{7})\.$/.exec((await merged.textContent()) ?? "")![1]!;
    // A real merge commit on main, committed by the person who pressed the button.
    const commit = git("rev-parse", `${short}^{commit}`).trim();
    expect(git("rev-list", "--parents", "-n", "1", commit).trim().split(" ")).toHaveLength(3);
    expect(git("show", "-s", "--format=%cn", commit).trim()).toBe(lead.displayName);
    expect(git("merge-base", "--is-ancestor", commit, "main")).toBe("");

    // Recorded: the pull request is merged, and the secret's timeline says by whom and as which commit.
    await page
      .getByRole("group", { name: "Filter by state" })
      .getByRole("button", { name: /^Merged/ })
      .click();
    await expect(
      page
        .getByRole("table", { name: "Merged pull requests" })
        .getByRole("row")
        .filter({ hasText: `${namespace}/${name}` }),
    ).toBeVisible();
    await page.goto(`/secrets/${cluster}/${namespace}/SealedSecret/${name}`);
    const entry = page
      .getByRole("list", { name: "Timeline, newest first" })
      .getByRole("button", { name: /Pull request merged/ })
      .first();
    // The audit log names people by username (one person written one way, issue #16 item 9).
    await expect(entry).toContainText(`${lead.username} (security-lead)`, FIRST_ROWS);
    await entry.click();
    await expect(page.getByRole("list", { name: "Timeline, newest first" })).toContainText(commit);

    // The rotation report for the namespace, downloaded as a person would: the key, waived.
    await page.goto(`/rotations?namespace=${namespace}`);
    await expect(keyRow(page)).toBeVisible(FIRST_ROWS);
    const download = page.waitForEvent("download");
    await page
      .getByRole("group", { name: "Rotation report for these filters" })
      .getByRole("link", { name: "CSV" })
      .click();
    const report = await readFile((await (await download).path())!, "utf8");
    const line = report.split("\n").find((l) => l.includes(name) && l.includes(key));
    expect(line, "the key's line in the report").toBeDefined();
    expect(line).toMatch(/waived/i);

    // Tidy: the namespace's policy goes, as a person would remove a trial policy.
    await page
      .getByRole("button", { name: `Delete policy for namespace ${namespace} on ${cluster}` })
      .click();
    await expect(
      page.getByTestId("rotation-policies").or(page.getByText(/No stored policies/)),
    ).not.toContainText(namespace);
  } finally {
    await context.close();
  }
});
