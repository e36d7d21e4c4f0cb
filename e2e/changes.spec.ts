import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The Changes page as a developer: the list of Sealdeck's pull requests (or its empty state), and the
// state filter, by mouse and by keyboard, kept in the URL.
test.use({ role: "developer" });

test("lists pull requests and filters them by state", async ({ page }) => {
  const problems = guardConsole(page);
  await page.goto("/changes");
  await expect(page.getByRole("heading", { level: 1, name: "Changes" })).toBeVisible();
  const filter = page.getByRole("group", { name: "Filter by state" });
  const all = filter.getByRole("button", { name: /^All/ });
  await expect(all).toHaveAttribute("aria-pressed", "true");
  // Loaded: the table or the empty state, never an error.
  await expect(
    page.getByRole("table", { name: "Pull requests" }).or(page.getByText("No pull requests yet")),
  ).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);

  await filter.getByRole("button", { name: /^Merged/ }).click();
  await expect(page).toHaveURL(/\/changes\?state=merged$/);
  await expect(filter.getByRole("button", { name: /^Merged/ })).toHaveAttribute("aria-pressed", "true");
  await expect(
    page.getByRole("table", { name: "Merged pull requests" }).or(page.getByText("No merged pull requests")),
  ).toBeVisible();

  // Keyboard: the filter buttons are reachable and act on Enter.
  await filter.getByRole("button", { name: /^Open/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/changes\?state=open$/);
  await all.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/changes$/);
  expect(problems()).toEqual([]);
});
