import { demoUsers } from "../lib/auth/demo-users";
import { roleLabels, roles } from "../lib/auth/roles";
import { navItems } from "../lib/navigation";
import { expect, sectionsByRole, test } from "./auth-fixtures";

const generic = "Sign-in failed: wrong username or password, or the account is locked for a while.";

test.describe("signed out", () => {
  test("every page sends you to sign-in and back to where you were going", async ({ page }) => {
    for (const item of navItems) {
      await page.goto(item.href);
      await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent(item.href)}`);
    }
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    // Sandbox mode lists one demo user per role.
    const demo = page.getByRole("region", { name: "Sandbox demo users" });
    for (const user of demoUsers)
      await expect(demo.getByRole("row", { name: new RegExp(roleLabels[user.role]) })).toBeVisible();

    await page.goto("/audit");
    const auditor = demoUsers.find((u) => u.role === "auditor")!;
    await page.getByLabel("Username").fill(auditor.username);
    await page.getByLabel("Password").fill(auditor.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
  });

  test("a failed sign-in says the same thing whether or not the account exists", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(`nobody-${Date.now()}`);
    await page.getByLabel("Password").fill("not-a-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(generic);
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test("the API answers 401-free public probes and the auth endpoints work without a session", async ({
    request,
  }) => {
    expect((await request.get("/api/healthz")).status()).toBe(200);
    const csrf = await request.get("/api/auth/csrf");
    expect(csrf.status()).toBe(200);
    expect(await csrf.json()).toEqual({ csrfToken: expect.stringMatching(/^[a-f0-9]{64}$/) });
  });
});

for (const role of roles) {
  test.describe(`${roleLabels[role]}`, () => {
    test.use({ role });

    test("sees the sections of its role and an access-denied page for the others", async ({ page }) => {
      await page.goto("/");
      await page.getByRole("button", { name: /^Account: / }).click();
      await expect(page.getByTestId("user-role")).toHaveText(roleLabels[role]);
      // The menu offers exactly the role's sections.
      const menu = page.getByRole("navigation", { name: "Main" }).getByRole("link");
      await expect(menu).toHaveText(
        navItems.filter((item) => sectionsByRole[role].includes(item.href)).map((item) => item.label),
      );
      for (const item of navItems) {
        const response = await page.goto(item.href);
        // A section the role lacks answers a real 403 (its layout decides before streaming starts).
        expect(response?.status()).toBe(sectionsByRole[role].includes(item.href) ? 200 : 403);
        if (sectionsByRole[role].includes(item.href)) {
          await expect(page.getByRole("heading", { level: 1, name: item.label })).toBeVisible();
        } else {
          await expect(page.getByRole("heading", { level: 1, name: "Access denied" })).toBeVisible();
          await expect(page.getByRole("heading", { level: 1, name: item.label })).toHaveCount(0);
        }
      }
    });
  });
}

test.describe("auditor", () => {
  test.use({ role: "auditor" });

  test("cannot reach the seal form, even by URL", async ({ page }) => {
    await page.goto("/seal?cluster=sandbox&namespace=staging");
    await expect(page.getByRole("heading", { level: 1, name: "Access denied" })).toBeVisible();
    await expect(page.getByLabel("Controller certificate")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Seal", exact: true })).toHaveCount(0);
  });

  test("sees who has access but cannot change it", async ({ page }) => {
    await page.goto("/settings");
    const users = page.getByRole("region", { name: "Users and access" });
    await expect(users.getByTestId("user-row-developer")).toContainText("staging");
    await expect(users.getByRole("combobox")).toHaveCount(0);
    await expect(users.getByRole("button")).toHaveCount(0);
  });
});

test.describe("developer", () => {
  test.use({ role: "developer" });

  test("is refused a namespace without a grant", async ({ page }) => {
    await page.goto("/seal?cluster=sandbox&namespace=production");
    await expect(page.getByRole("main")).toContainText("You have no grant for namespace production");
    await page.goto("/seal?cluster=sandbox&namespace=staging");
    await expect(page.getByRole("heading", { level: 1, name: "Seal" })).toBeVisible();
  });
});

test.describe("admin", () => {
  test.use({ role: "admin" });

  test("adds and removes a namespace grant in Settings → Users and access", async ({ page }) => {
    const namespace = `e2e-${Date.now()}`;
    await page.goto("/settings");
    const row = page.getByRole("region", { name: "Users and access" }).getByTestId("user-row-developer");
    await expect(row.getByRole("combobox", { name: "Role of developer" })).toHaveValue("developer");
    await row.getByLabel("Cluster for developer").fill("sandbox");
    await row.getByLabel("Namespace for developer").fill(namespace);
    await row.getByRole("button", { name: "Add grant" }).click();
    const remove = row.getByRole("button", { name: `Remove grant sandbox/${namespace} from developer` });
    await expect(remove).toBeVisible();
    await remove.click();
    await expect(remove).toHaveCount(0);
    await expect(row).not.toContainText(namespace);
  });
});

test("security headers and cookie attributes", async ({ page, request }) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  const headers = first.headers();
  const csp = headers["content-security-policy"] ?? "";
  const directive = (name: string) =>
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? "";
  expect(directive("script-src")).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'$/);
  expect(csp).not.toContain("unsafe-eval");
  expect(directive("script-src")).not.toContain("unsafe-inline");
  expect(directive("connect-src")).toBe("connect-src 'self'");
  expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
  expect(directive("object-src")).toBe("object-src 'none'");
  expect(directive("base-uri")).toBe("base-uri 'self'");
  expect(directive("form-action")).toBe("form-action 'self'");
  expect(second.headers()["content-security-policy"]).not.toBe(csp); // a fresh nonce per response
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toBeUndefined(); // plain http here
  const api = await request.get("/api/healthz");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  // A fresh sign-in, to look at the cookie it sets.
  const admin = demoUsers.find((u) => u.role === "admin")!;
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(admin.username);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
});

test("signing out ends the session on the server, not only in the browser", async ({ browser, baseURL }) => {
  const security = demoUsers.find((u) => u.role === "security-lead")!;
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(security.username);
  await page.getByLabel("Password").fill(security.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/rotations$/);
  const saved = await context.storageState();

  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();

  // The old cookie, replayed, is no longer a session.
  const replay = await browser.newContext({ baseURL, storageState: saved });
  const again = await replay.newPage();
  await again.goto("/rotations");
  await expect(again).toHaveURL(/\/sign-in\?callbackUrl=%2Frotations$/);
  await replay.close();
});

test.describe("client address", () => {
  test.use({ role: "auditor" });

  test("a forged X-Forwarded-For neither escapes the sign-in rate limit nor reaches the audit log", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const from = new Date(Date.now() - 1000).toISOString();
    const anonymous = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await anonymous.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const username = `forged-${Date.now()}`;
    const forged = (n: number) => `203.0.113.${n + 1}`;
    let limitedAt = -1;
    // Stops at the first refusal: the per-address bucket is shared with every other spec's sign-ins.
    for (let attempt = 0; attempt < 20 && limitedAt < 0; attempt += 1) {
      const response = await anonymous.post("/api/auth/callback/credentials", {
        form: { csrfToken, username, password: "not-the-password", json: "true" },
        headers: { "X-Forwarded-For": forged(attempt), "X-Real-IP": forged(attempt) },
      });
      const { url } = (await response.json()) as { url: string };
      const error = new URL(url).searchParams.get("error");
      if (error === "RateLimited") limitedAt = attempt;
      else expect(error).toBe("CredentialsSignin");
    }
    await anonymous.dispose();
    // 10 tries per address and username: every forged address was the same client, the socket's.
    expect(limitedAt).toBeGreaterThanOrEqual(10);

    const exported = await page.request.get(
      `/api/audit/export?format=ndjson&action=auth.sign_in_failed&from=${encodeURIComponent(from)}`,
    );
    expect(exported.status()).toBe(200);
    const rows = (await exported.text()).split("\n").filter(Boolean);
    expect(rows.filter((row) => row.includes('"127.0.0.1"')).length).toBeGreaterThanOrEqual(limitedAt);
    expect(rows.some((row) => row.includes("203.0.113."))).toBe(false);
  });

  test("a callbackUrl that a browser would take to another site is dropped", async ({ page, baseURL }) => {
    // Signed in, the sign-in page sends the visitor on to callbackUrl: never off this origin.
    for (const target of ["/%09/evil.example", "/%0d/evil.example", "//evil.example", "/%5Cevil.example"]) {
      await page.goto(`/sign-in?callbackUrl=${target}`);
      // The signed-in visitor is sent on (the redirect may happen in the browser, after the first paint).
      await expect(page).not.toHaveURL(/\/sign-in/);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(page.url()).not.toContain("evil.example");
    }
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/audit?outcome=failure")}`);
    await expect(page).toHaveURL(/\/audit\?outcome=failure$/);
  });
});
