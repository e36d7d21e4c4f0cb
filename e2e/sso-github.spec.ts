import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./auth-fixtures";

// GitHub sign-in through a local stand-in for GitHub's OAuth web flow and REST API
// (e2e/github/oauth-double.mjs, started by playwright.config.ts; the app reaches it through
// SEALDECK_GITHUB_URL as it would a GitHub Enterprise Server). Groups are github:<org> and
// github:<org>/<team-slug>; the mapping (e2e/oidc/group-mapping.json) makes acme/platform-admins admins
// and acme/payments developers with a staging grant. The double's accounts are shared state: serial.

test.describe.configure({ mode: "serial" });
test.use({ storageState: { cookies: [], origins: [] } });

const github = `http://127.0.0.1:${process.env.E2E_GITHUB_PORT}`;

async function setTeams(request: APIRequestContext, account: string, teams: string[]) {
  const response = await request.get(`${github}/__control?account=${account}&teams=${teams.join(",")}`);
  expect(response.ok()).toBe(true);
}

/** Clicks the GitHub button and authorizes at the double's sign-in page (any password). */
async function signInWithGithub(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page.getByText("Scopes: read:user user:email read:org")).toBeVisible();
  await page.getByLabel("Username or email address").fill(login);
  await page.getByLabel("Password").fill("any-password");
  await page.getByRole("button", { name: "Authorize" }).click();
}

async function expectRole(page: Page, role: string) {
  await page.getByRole("button", { name: /^Account: / }).click();
  await expect(page.getByTestId("user-role")).toHaveText(role);
}

test("a member of a mapped admin team signs in through GitHub as admin", async ({ page }) => {
  await signInWithGithub(page, "gh-admin");
  await expect(page).toHaveURL(/\/settings$/);
  await expectRole(page, "Admin");
});

test("a member of a mapped team (teams read over several pages) gets developer and the team's grant", async ({
  page,
}) => {
  await signInWithGithub(page, "gh-dev");
  await expect(page).toHaveURL(/\/secrets$/);
  await expectRole(page, "Developer");
  const grid = page.getByRole("grid", { name: "Secrets" });
  await expect(grid.getByTestId("secret-row").first()).toBeVisible();
  await expect(grid).not.toContainText("production/");
  expect((await page.goto("/audit"))?.status()).toBe(403);
});

test("a GitHub user in no mapped team is refused with a clear message", async ({ page }) => {
  await signInWithGithub(page, "gh-nobody");
  await expect(page).toHaveURL(/\/sign-in\?error=NotAuthorized/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/not mapped to a Sealdeck role/);
});

test("a team change at GitHub applies at the next sign-in", async ({ browser, request }) => {
  await setTeams(request, "gh-mover", ["acme/platform-admins"]);
  const first = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  await signInWithGithub(first, "gh-mover");
  await expect(first).toHaveURL(/\/settings$/);
  await expectRole(first, "Admin");
  await first.close();

  await setTeams(request, "gh-mover", ["acme/payments"]);
  const next = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  await signInWithGithub(next, "gh-mover");
  await expect(next).toHaveURL(/\/secrets$/);
  await expectRole(next, "Developer");
  await next.close();
});
