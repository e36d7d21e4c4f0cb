import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./auth-fixtures";

// Single sign-on through a real OpenID Provider (e2e/oidc/issuer.mjs, started by playwright.config.ts),
// issue #17. Accounts: oidc-admin (groups in the ID token), oidc-dev (groups only in userinfo),
// oidc-nobody (unmapped group), oidc-mover (leaves the admin group during the test). The issuer is
// shared state (groups, faults), so these tests run one after the other.

test.describe.configure({ mode: "serial" });

const issuer = `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;

async function control(request: APIRequestContext, params: Record<string, string>) {
  const response = await request.get(`${issuer}/__control?${new URLSearchParams(params)}`);
  expect(response.ok()).toBe(true);
}

/** Clicks the SSO button and signs in at the provider's login form (any password). */
async function signInWithSso(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function expectRole(page: Page, role: string) {
  await page.getByRole("button", { name: /^Account: / }).click();
  await expect(page.getByTestId("user-role")).toHaveText(role);
}

async function failedSsoReasons(page: Page, from: string): Promise<string[]> {
  const exported = await page.request.get(
    `/api/audit/export?format=ndjson&action=auth.sign_in_failed&from=${encodeURIComponent(from)}`,
  );
  expect(exported.status()).toBe(200);
  return (await exported.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse((JSON.parse(line) as { details: string }).details) as Record<string, string>)
    .filter((details) => details.provider !== "credentials")
    .map((details) => details.reason ?? "");
}

test.afterEach(async ({ request }) => {
  await control(request, { fault: "none" });
});

test("groups in the ID token: an admin signs in, sees admin sections, has no password to change, signs out at the provider", async ({
  page,
}) => {
  await signInWithSso(page, "oidc-admin");
  await expect(page).toHaveURL(/\/settings$/);
  await expectRole(page, "Admin");
  await expect(page.getByRole("link", { name: "Change password" })).toHaveCount(0);
  expect((await page.goto("/secrets"))?.status()).toBe(403);

  await page.goto("/settings");
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  // RP-initiated logout: the provider asks, then sends the browser back to Sealdeck's sign-in page.
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings$/);
});

test("groups only in userinfo: a developer gets the mapped grant and only its namespaces", async ({
  page,
}) => {
  await signInWithSso(page, "oidc-dev");
  await expect(page).toHaveURL(/\/secrets$/);
  await expectRole(page, "Developer");
  const grid = page.getByRole("grid", { name: "Secrets" });
  await expect(grid.getByTestId("secret-row").first()).toBeVisible();
  await expect(grid).not.toContainText("production/");
  expect((await page.goto("/audit"))?.status()).toBe(403);
});

test("an account in no mapped group is refused with a clear message", async ({ page }) => {
  await signInWithSso(page, "oidc-nobody");
  await expect(page).toHaveURL(/\/sign-in\?error=NotAuthorized/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/not mapped to a Sealdeck role/);
});

test("leaving the mapped group: the next sign-in is refused and the open session ends", async ({
  browser,
  request,
}) => {
  await control(request, { account: "oidc-mover", groups: "sealdeck-admins" });
  const open = await browser.newPage();
  await signInWithSso(open, "oidc-mover");
  await expect(open).toHaveURL(/\/settings$/);

  await control(request, { account: "oidc-mover", groups: "everyone" });
  const next = await browser.newPage();
  await signInWithSso(next, "oidc-mover");
  await expect(next).toHaveURL(/\/sign-in\?error=NotAuthorized/);
  // The session opened while still an admin was revoked by that refused sign-in.
  await open.goto("/settings");
  await expect(open).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings$/);
  await open.close();
  await next.close();
});

test.describe("provider failures", () => {
  test.use({ role: "auditor" });

  test("issuer down, client secret refused, wrong audience, slow token endpoint: refused, audited, explained", async ({
    page,
    browser,
    request,
  }) => {
    const from = new Date(Date.now() - 1000).toISOString();
    const cases = [
      { fault: "down", message: /cannot be reached/ },
      { fault: "reject-client", message: /rejected Sealdeck's client credentials/ },
      { fault: "wrong-audience", message: /issued for another application/ },
      { fault: "slow", message: /did not answer in time/ },
    ] as const;
    for (const { fault, message } of cases) {
      // A fresh browser each time: no session at the provider, so its login form is shown.
      const anonymous = await browser.newPage({ storageState: { cookies: [], origins: [] } });
      await control(request, { fault });
      await anonymous.goto("/sign-in");
      await anonymous.getByRole("button", { name: "Sign in with Test IdP" }).click();
      if (fault !== "down") {
        // These faults touch only the token endpoint: the provider's login form still works.
        await anonymous.locator('input[name="login"]').fill("oidc-admin");
        await anonymous.locator('input[name="password"]').fill("any-password");
        await anonymous.getByRole("button", { name: "Sign-in" }).click();
      }
      await expect(anonymous).toHaveURL(/\/sign-in\?error=Sso-/);
      await expect(anonymous.getByRole("main").getByRole("alert")).toHaveText(message);
      await control(request, { fault: "none" });
      await anonymous.close();
    }
    expect(await failedSsoReasons(page, from)).toEqual(
      expect.arrayContaining(["issuer-unreachable", "client-rejected", "wrong-audience", "provider-timeout"]),
    );
  });
});
