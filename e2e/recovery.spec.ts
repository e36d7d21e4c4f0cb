import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The Recovery page (issue #21) on the shared production sandbox, without losing its keys: the demo's
// production/legacy-payment-gateway is sealed with a key no controller holds, so each cluster shows a
// lost-key incident. The restore check runs in the browser and refuses a private key.
const interop = join(import.meta.dirname, "..", "lib/sealing/testdata/interop");

test.describe("as a security lead", () => {
  test.use({ role: "security-lead" });

  test("sees the lost-key incident, the restore commands first, and checks a backup certificate", async ({
    page,
  }) => {
    const problems = guardConsole(page);
    await page.goto("/recovery");
    await expect(page.getByRole("heading", { level: 1, name: "Recovery" })).toBeVisible();
    const incident = page.getByRole("region", { name: "Lost sealing key on sandbox", exact: true });
    await expect(incident).toBeVisible();
    await expect(
      incident.getByRole("cell", { name: "production/legacy-payment-gateway", exact: true }),
    ).toBeVisible();
    await expect(
      incident.getByText("kubectl --context sandbox apply -n kube-system -f sealed-secrets-key-backup.yaml"),
    ).toBeVisible();

    const check = incident.getByRole("form", { name: "Check a key backup for sandbox" });
    const field = check.getByRole("textbox");
    await field.fill(readFileSync(join(interop, "tls.key"), "utf8"));
    await check.getByRole("button", { name: "Check backup" }).click();
    await expect(check.getByRole("alert")).toContainText("PRIVATE KEY");

    await field.fill(readFileSync(join(interop, "tls.crt"), "utf8"));
    await check.getByRole("button", { name: "Check backup" }).click();
    // The demo key is one the controller holds, not the missing one.
    await expect(check.getByRole("status")).toContainText(/not a missing one|Does not match/);

    await incident.getByRole("link", { name: "Re-seal production/legacy-payment-gateway" }).click();
    await expect(page).toHaveURL(/\/seal\?.*name=legacy-payment-gateway.*rotate=GATEWAY_API_KEY/);
    expect(problems()).toEqual([]);
  });
});

test.describe("as a developer", () => {
  test.use({ role: "developer" });

  test("sees only the incidents of their namespaces", async ({ page }) => {
    await page.goto("/recovery");
    await expect(page.getByText("No lost sealing key")).toBeVisible();
  });
});
