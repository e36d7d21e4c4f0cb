import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readZipDirectory, readZipEntryText } from "../lib/audit/bundle/read-zip-entries";
import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The auditor's journey: the chain badge, filters kept in the URL, infinite scroll, a row's details,
// the filtered events exported as one evidence bundle (export, signed manifest, public key) that the CLI
// verifies as downloaded, and fails once tampered with; and what a developer may (not) see.

const root = join(import.meta.dirname, "..");

test.describe("as an auditor", () => {
  test.use({ role: "auditor" });

  test("filters, scrolls, exports an evidence bundle, and the bundle verifies offline", async ({
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
    await expect(rows.first()).toHaveAttribute("data-expanded", "true");
    await expect(grid.getByText("Previous hash")).toBeVisible();
    await expect(grid.getByText('"exportId"').first()).toBeVisible();

    // Export what the filters show as one evidence bundle; the CLI verifies the bundle as downloaded.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^sealdeck-audit-\d{8}T\d{6}Z-[0-9a-f]{8}\.csv\.zip$/);
    const bundlePath = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(bundlePath);
    const verify = (args: string[]) =>
      spawnSync(process.execPath, ["bin/sealdeck.js", "audit", "verify", ...args], {
        cwd: root,
        encoding: "utf8",
      });
    const verified = verify([bundlePath]);
    expect(verified.stderr).toBe("");
    expect(verified.stdout).toMatch(
      /: verified \d+ events, #\d+ to #\d+ \(filtered export\); manifest and checkpoint #\d+ signed by/,
    );
    expect(verified.status).toBe(0);
    // The fingerprint the CLI prints is the one the Audit page shows.
    const fingerprint = (await page.getByTestId("audit-key-fingerprint").innerText()).trim();
    expect(verified.stdout).toContain(`key fingerprint (SHA-256): ${fingerprint}`);

    // The same evidence with one event changed no longer verifies, and says which event.
    const entries = await readZipDirectory(bundlePath);
    const csvEntry = entries.find((e) => e.name.endsWith(".csv"))!;
    const manifestEntry = entries.find((e) => e.name.endsWith(".csv.manifest.json"))!;
    const csvPath = testInfo.outputPath(csvEntry.name);
    const lines = (await readZipEntryText(bundlePath, csvEntry)).split("\n");
    lines[1] = lines[1]!.replace('"success"', '"failure"');
    writeFileSync(csvPath, lines.join("\n"));
    writeFileSync(`${csvPath}.manifest.json`, await readZipEntryText(bundlePath, manifestEntry));
    const tampered = verify([csvPath]);
    expect(tampered.stderr).toMatch(/verification FAILED: event #\d+ changed/);
    expect(tampered.status).toBe(1);
    expect(problems()).toEqual([]);
  });

  test("filters that match nothing say so, with the way back to every event", async ({ page }) => {
    await page.goto("/audit?actor=nobody-has-this-name");
    await expect(page.getByText("No events match these filters")).toBeVisible();
    await page.getByRole("button", { name: "Clear the filters" }).click();
    await expect(page).not.toHaveURL(/actor=/);
    const time = page.getByRole("grid", { name: "Audit events" }).getByTestId("audit-time").first();
    await expect(time).toContainText(/ UTC$/);
    // The whole time, time zone included, not cut off by an ellipsis.
    expect(await time.evaluate((cell) => cell.scrollWidth <= cell.clientWidth)).toBe(true);
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
    // The visit itself is beside the secret's timeline, without the address (auditors only).
    await expect(page.getByRole("region", { name: "Timeline" })).toBeVisible();
    const views = page.getByRole("region", { name: "Page views" });
    await expect(views.getByRole("listitem").first()).toContainText("developer (developer)");
    await expect(views).not.toContainText(" from ");
    // The Kubernetes API server's access records are for security leads and auditors only.
    await expect(page.getByRole("region", { name: "Kubernetes access" })).toHaveCount(0);
    // /audit answered 403, which the browser reports on the console itself; nothing else may appear.
    expect(problems().filter((p) => !p.includes("status of 403"))).toEqual([]);
  });
});
