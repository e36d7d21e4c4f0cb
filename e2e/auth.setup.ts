import { demoUsers } from "../lib/auth/demo-users";
import { roleLandingPages } from "../lib/auth/roles";
import { authFile, expect, serverOf, test as setup } from "./auth-fixtures";

// Signs each sandbox demo user in once through the real form and saves the session for the specs.
for (const demo of demoUsers) {
  setup(`sign in as ${demo.role}`, async ({ page }, testInfo) => {
    // On `next dev` the first visit of each page compiles it, which can take minutes on a busy machine.
    setup.setTimeout(240_000);
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(demo.username);
    await page.getByLabel("Password").fill(demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // Each role lands on the page its work starts from.
    await expect(page).toHaveURL(new RegExp(`${roleLandingPages[demo.role]}$`), { timeout: 180_000 });
    await expect(page.getByRole("button", { name: `Account: ${demo.displayName}` })).toBeVisible();
    await page.context().storageState({ path: authFile(serverOf(testInfo.project.name), demo.role) });
  });
}
