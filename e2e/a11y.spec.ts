import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
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

  test("every section passes axe in light and dark", async ({ page }) => {
    test.setTimeout(180_000);
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
