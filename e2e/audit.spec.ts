import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The auditor's journey: the chain badge, filters kept in the URL, infinite scroll, a row's details,
// a CSV export with its manifest verified offline by the CLI; and what a developer may (not) see.

const root = join(import.meta.dirname, "..");

test.describe("as an auditor", () => {
  test.use({ role: "auditor" });

  test("filters, scrolls, exports CSV with its manifest, and the export verifies offline", async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const problems = guardConsole(page);
    // More than one page of events (100): each small export records two (requested, then its outcome).
    for (let i = 0; i < 55; i++) {
      const response = await page.request.get(
        `/api/audit/export?format=json&name=seeded-by-e2e&exportId=${randomUUID()}`,
      );
      expect(response.status()).toBe(200);
      await response.body();
    }

    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
    await expect(page.getByTestId("chain-badge")).toContainText(/Chain verified up to #\d+ at /);
    await expect(page.getByTestId("chain-badge")).toContainText(/signed checkpoint #\d+/);
    await expect(page.getByRole("region", { name: "Kubernetes API access to secrets" })).toBeVisible();

    const grid = page.getByRole("grid", { name: "Audit events" });
    await expect(grid.getByTestId("audit-row").first()).toBeVisible();
    await expect(page.getByText(/^Newest first · 100\+ events loaded/)).toBeVisible();
    // Scroll by keyboard to the end of what is loaded: the next page arrives.
    await grid.focus();
    await page.keyboard.press("End");
    await expect(
      page.getByText(/^Newest first · (1\d[1-9]|1[1-9]\d|[2-9]\d\d|\d{4,})\+? events? loaded/),
    ).toBeVisible();
    await page.keyboard.press("Home");

    // Filters go into the URL and survive a reload.
    await page.getByLabel("Action").fill("audit.exported");
    await expect(page).toHaveURL(/action=audit\.exported/);
    await page.getByLabel("Outcome").selectOption("success");
    await expect(page).toHaveURL(/outcome=success/);
    await expect(grid.getByTestId("audit-row").first()).toContainText("audit.exported");
    await page.reload();
    await expect(page.getByLabel("Outcome")).toHaveValue("success");
    await expect(page.getByLabel("Action")).toHaveValue("audit.exported");
    const rows = grid.getByTestId("audit-row");
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain("audit.exported");
      expect(text).toContain("success");
    }

    // A row opens by keyboard and shows the whole event, hashes included.
    await grid.focus();
    await page.keyboard.press("Enter");
    await expect(rows.first()).toHaveAttribute("aria-expanded", "true");
    await expect(grid.getByText("Previous hash")).toBeVisible();
    await expect(grid.getByText('"exportId"').first()).toBeVisible();

    // Export everything as CSV, then its manifest; the CLI verifies the pair offline.
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^sealdeck-audit-\d{8}T\d{6}Z-[0-9a-f]{8}\.csv$/);
    const csvPath = testInfo.outputPath(csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const [manifest] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download its manifest" }).click(),
    ]);
    expect(manifest.suggestedFilename()).toBe(`${csv.suggestedFilename()}.manifest.json`);
    const manifestPath = testInfo.outputPath(manifest.suggestedFilename());
    await manifest.saveAs(manifestPath);
    const output = execFileSync(
      process.execPath,
      ["bin/sealdeck.js", "audit", "verify", csvPath, "--manifest", manifestPath],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(output).toMatch(/: verified \d+ events, #1 to #\d+; manifest and checkpoint #\d+ signed by/);
    expect(problems()).toEqual([]);
  });
});

test.describe("as a developer", () => {
  test.use({ role: "developer" });

  test("cannot open the audit log, but sees the history of a secret they may see", async ({ page }) => {
    const problems = guardConsole(page);
    await page.goto("/audit");
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByRole("grid", { name: "Audit events" })).toHaveCount(0);
    expect((await page.request.get("/api/audit/events")).status()).toBe(403);
    expect((await page.request.get("/api/audit/export?format=csv")).status()).toBe(403);

    await page.goto("/secrets/sandbox/staging/ExternalSecret/stripe-credentials");
    const history = page.getByRole("region", { name: "History" });
    // The visit itself is in the secret's access history.
    await expect(history.getByRole("button", { name: /Page viewed/ }).first()).toBeVisible();
    await expect(history).toContainText("developer (developer)");
    await history
      .getByRole("button", { name: /Page viewed/ })
      .first()
      .click();
    await expect(history.getByText("Hash", { exact: true })).toBeVisible();
    await expect(history.getByText("Address", { exact: true })).toHaveCount(0);
    // The Kubernetes API server's access records are for security leads and auditors only.
    await expect(page.getByRole("region", { name: "Kubernetes access" })).toHaveCount(0);
    // /audit answered 403, which the browser reports on the console itself; nothing else may appear.
    expect(problems().filter((p) => !p.includes("status of 403"))).toEqual([]);
  });
});
