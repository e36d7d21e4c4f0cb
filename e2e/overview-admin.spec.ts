import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// An admin may not read the secret inventory: their Overview is about Sealdeck itself, never a claim
// about secrets they cannot see (issue 16, item 5).
test.use({ role: "admin" });

test("the admin's Overview shows clusters, repositories, users and Sealdeck's health, no secret health", async ({
  page,
}) => {
  const problems = guardConsole(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  for (const region of ["System status", "Clusters", "Repositories", "Users"])
    await expect(page.getByRole("region", { name: region })).toBeVisible();
  await expect(page.getByRole("region", { name: "Clusters" })).toContainText("sandbox");
  await expect(page.getByRole("region", { name: "Secret inventory" })).toHaveCount(0);
  await expect(page.getByText(/every secret is healthy/i)).toHaveCount(0);
  expect(problems()).toEqual([]);
});
