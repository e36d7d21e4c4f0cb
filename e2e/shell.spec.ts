import { navItems } from "../lib/navigation";
import { expect, sectionsByRole, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The shell as a security lead, whose menu lists every section but Seal (the page itself still answers
// with "Access denied" when reached by URL; see auth.spec.ts).
test.use({ role: "security-lead" });

test("the navigation reaches every section of the role and marks the current one", async ({ page }) => {
  const problems = guardConsole(page);
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of navItems) {
    const link = nav.getByRole("link", { name: item.label, exact: true });
    if (!sectionsByRole["security-lead"].includes(item.href)) {
      await expect(link).toHaveCount(0);
      continue;
    }
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${item.href === "/" ? "/$" : item.href}$`));
    await expect(page.getByRole("heading", { level: 1, name: item.label })).toBeVisible();
    await expect(link).toHaveAttribute("aria-current", "page");
  }
  expect(problems()).toEqual([]);
});

test("the overview reports the database as ready", async ({ page }) => {
  await page.goto("/");
  const status = page.getByRole("region", { name: "System status" });
  await expect(status.getByText("Database")).toBeVisible();
  await expect(status.getByText("Ready", { exact: true })).toBeVisible();
});

test("the theme toggle overrides the system setting and is remembered", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const toggle = page.getByRole("group", { name: "Color theme" }).first();
  await expect(toggle.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "true");
  await toggle.getByRole("button", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page
    .getByRole("group", { name: "Color theme" })
    .first()
    .getByRole("button", { name: "System" })
    .click();
  await expect(page.locator("html")).toHaveClass(/\blight\b/);
});

test("the shell works by keyboard", async ({ page }) => {
  await page.goto("/settings");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();

  const account = page.getByRole("button", { name: /^Account: / });
  await account.focus();
  await page.keyboard.press("Enter");
  await expect(account).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("region", { name: "Account" })).toContainText("Role: Security lead");
  await page.keyboard.press("Escape");
  await expect(account).toHaveAttribute("aria-expanded", "false");
  await expect(account).toBeFocused();
});

test("an unknown address gets a real 404 page", async ({ page }) => {
  const response = await page.goto("/definitely/not/here");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Secrets" }).last().click();
  await expect(page.getByRole("heading", { level: 1, name: "Secrets" })).toBeVisible();
});

test("health endpoints answer as JSON", async ({ request }) => {
  const health = await request.get("/api/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", checks: [{ name: "database", ok: true }] });
});
