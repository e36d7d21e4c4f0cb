import { navItems } from "../lib/navigation";
import { expect, sectionsByRole, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// On the development server, where React reports hydration mismatches: every section of the shell, in
// both system themes, must render without a console error or warning (and without a CSP violation).
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    for (const item of navItems) {
      test.describe(item.label, () => {
        // Signed in as a role that may open the section.
        test.use({
          role: sectionsByRole["security-lead"].includes(item.href) ? "security-lead" : "developer",
        });

        test(`${item.label} renders cleanly`, async ({ page }) => {
          const problems = guardConsole(page);
          await page.goto(item.href);
          await expect(page.getByRole("heading", { level: 1, name: item.label })).toBeVisible();
          await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${colorScheme}\\b`));
          // Let hydration and effects finish before judging the console.
          await page.waitForLoadState("networkidle");
          expect(problems()).toEqual([]);
        });
      });
    }

    test.describe("signed out and denied", () => {
      test("the sign-in page renders cleanly", async ({ page }) => {
        const problems = guardConsole(page);
        await page.goto("/sign-in");
        await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
        await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${colorScheme}\\b`));
        await page.waitForLoadState("networkidle");
        expect(problems()).toEqual([]);
      });
    });

    test.describe("access denied", () => {
      test.use({ role: "auditor" });

      test("the access-denied page renders cleanly", async ({ page }) => {
        const problems = guardConsole(page);
        const response = await page.goto("/seal");
        expect(response?.status()).toBe(403);
        await expect(page.getByRole("heading", { level: 1, name: "Access denied" })).toBeVisible();
        await page.waitForLoadState("networkidle");
        // The browser reports the document's 403 itself. And in development only, React flags next-themes'
        // inline theme script when Next re-renders the root on the client after a layout's forbidden();
        // the server's HTML already ran it (the theme class is on <html>, checked here). Nothing else.
        await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${colorScheme}\\b`));
        const ignored = [
          /status of 403/,
          /^console\.error: Encountered a script tag while rendering React component/,
        ];
        expect(problems().filter((p) => !ignored.some((pattern) => pattern.test(p)))).toEqual([]);
      });
    });

    test.describe("404", () => {
      test.use({ role: "security-lead" });

      test("the 404 page renders cleanly", async ({ page }) => {
        const problems = guardConsole(page);
        const response = await page.goto("/no-such-page");
        expect(response?.status()).toBe(404);
        await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
        await page.waitForLoadState("networkidle");
        expect(problems().filter((p) => !p.includes("no-such-page"))).toEqual([]);
      });
    });
  });
}
