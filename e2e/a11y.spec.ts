import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./auth-fixtures";

// axe-core on every page, in both colour schemes, failing on serious and critical violations. One
// signed-in context per role needed: a security lead opens every section but Seal, a developer Seal,
// and the sign-in page is checked signed out. Also the Changes page's layout at two window sizes.

const SECRET_PAGE = "/secrets/sandbox/staging/ExternalSecret/stripe-credentials";

async function expectNoSeriousViolations(page: Page, path: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    // Client islands fill in after the first paint: check what a person reads, not the skeletons.
    await expect(page.getByText(/^Loading\b/)).toHaveCount(0);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        rule: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
      }));
    expect(serious, `${path} (${colorScheme})`).toEqual([]);
  }
}

test.describe("as a security lead", () => {
  test.use({ role: "security-lead" });

  // One test per section, so the workers share them.
  for (const path of [
    "/",
    "/secrets",
    SECRET_PAGE,
    "/changes",
    "/rotations",
    "/recovery",
    "/audit",
    "/settings",
  ])
    test(`${path} passes axe in light and dark`, async ({ page }) => {
      // Two loads and two axe runs (all eight sections took 2.8 min on a busy 2-core machine).
      test.setTimeout(120_000);
      await expectNoSeriousViolations(page, path);
    });

  test("the Changes page fits the window without sideways scrolling, sidebar at full width", async ({
    page,
  }) => {
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto("/changes");
      await expect(page.getByRole("heading", { level: 1, name: "Changes" })).toBeVisible();
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        sidebar: document.querySelector("aside")?.getBoundingClientRect().width ?? 0,
      }));
      expect(layout.scrollWidth, `${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(
        layout.clientWidth,
      );
      // md:w-56 = 14rem.
      expect(layout.sidebar).toBeGreaterThanOrEqual(224);
    }
  });

  test("the Overview fits the window without sideways scrolling", async ({ page }) => {
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto("/");
      const inventory = page.getByRole("region", { name: "Secret inventory" });
      await expect(inventory.getByText("ClusterExternalSecrets")).toBeVisible();
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(layout.scrollWidth, `${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(
        layout.clientWidth,
      );
      // Each count's label stays inside the card rather than running under its neighbour.
      const overflowing = await inventory
        .locator("dt")
        .evaluateAll((terms) => terms.filter((t) => t.scrollWidth > t.clientWidth).map((t) => t.textContent));
      expect(overflowing, `${viewport.width}×${viewport.height}`).toEqual([]);
    }
  });
});

// Sorting by keyboard, as a person without a mouse does it: Tab from one column's sort button to the
// next, Enter sorts ascending, Space flips it, and aria-sort says so; the grid around the header must
// not take those keys for its own (Enter opens a row, Space selects it).
async function expectKeyboardSorting(
  page: Page,
  grid: Locator,
  columns: { from: string; to: string; sort: string },
) {
  await grid.getByRole("button", { name: columns.from, exact: true }).focus();
  await page.keyboard.press("Tab");
  const button = grid.getByRole("button", { name: columns.to, exact: true });
  await expect(button).toBeFocused();
  const header = grid
    .getByRole("columnheader")
    .filter({ has: page.getByRole("button", { name: columns.to, exact: true }) });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`sort=${columns.sort}\\b`));
  await expect(page).toHaveURL(/order=asc/);
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect(button).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/order=desc/);
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(grid.getByRole("columnheader").and(page.locator("[aria-sort]"))).toHaveCount(1);
}

test.describe("as a security lead, by keyboard", () => {
  test.use({ role: "security-lead" });

  test("the Secrets and Rotations tables sort from their column headers", async ({ page }) => {
    await page.goto("/secrets");
    const secrets = page.getByRole("grid", { name: "Secrets" });
    await expect(secrets.getByTestId("secret-row").first()).toBeVisible();
    await expectKeyboardSorting(page, secrets, { from: "Health", to: "Name", sort: "name" });
    await expect(page).toHaveURL(/\/secrets\?/);

    await page.goto("/rotations");
    const rotations = page.getByRole("grid", { name: "Keys and their rotation schedule" });
    await expect(rotations.getByTestId("rotation-row").first()).toBeVisible();
    await expectKeyboardSorting(page, rotations, { from: "Status", to: "Key · secret", sort: "name" });
    await expect(page).toHaveURL(/\/rotations\?/);

    // Grouped by owner team, rows come in team order under one header per team; sorting by another
    // column ends the grouping rather than splitting the teams.
    // A controlled checkbox: it shows checked once the URL says group=team.
    await page.getByRole("checkbox", { name: "Group by owner team" }).click();
    await expect(page).toHaveURL(/group=team/);
    await expect(page).toHaveURL(/sort=team/);
    const groups = rotations.getByTestId("rotation-group");
    await expect(groups.first()).toBeVisible();
    const teams = await groups.evaluateAll((rows) => rows.map((r) => r.textContent?.split(/\d/)[0]));
    expect(new Set(teams).size).toBe(teams.length);
    await rotations.getByRole("button", { name: "Due", exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/sort=due/);
    await expect(page).not.toHaveURL(/group=team/);
    await expect(groups).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: "Group by owner team" })).not.toBeChecked();
  });
});

test.describe("as a developer", () => {
  test.use({ role: "developer" });

  test("the seal form passes axe in light and dark", async ({ page }) => {
    await expectNoSeriousViolations(page, "/seal");
  });
});

test("the sign-in page passes axe in light and dark", async ({ page }) => {
  await expectNoSeriousViolations(page, "/sign-in");
});
