import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// Issue 5: a change made with the stock kubectl appears in an open Secrets page without a reload (the
// server's watch → the event stream → the React Query cache). Against the e2e app's own sandbox.
test.use({ role: "security-lead" });

// playwright.config.ts starts the e2e app with SEALDECK_DATA_DIR=.data/e2e-app; its sandbox writes here.
const kubeconfig = join(import.meta.dirname, "..", ".data", "e2e-app", "sandbox", "kubeconfig");

function kubectl(args: string[], input?: string): string {
  return execFileSync("kubectl", ["--kubeconfig", kubeconfig, "--context", "sandbox", ...args], {
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function externalSecretYaml(name: string): string {
  // The development namespace's demo store ("vault") has this remote key.
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${name}
  namespace: development
spec:
  refreshInterval: 1h
  secretStoreRef:
    name: vault
  target:
    name: ${name}
  data:
    - secretKey: FLAGS_TOKEN
      remoteRef:
        key: /feature-flags/token
`;
}

test("an ExternalSecret applied and deleted with kubectl shows up and goes away without a reload", async ({
  page,
}) => {
  const problems = guardConsole(page);
  const name = `live-e2e-${randomBytes(4).toString("hex")}`;
  try {
    await page.goto("/secrets?cluster=sandbox&namespace=development&sort=name");
    const grid = page.getByRole("grid", { name: "Secrets" });
    await expect(grid.getByTestId("secret-row").first()).toBeVisible();
    // The page follows the event stream before the change is made.
    await expect(page.getByText(/shown · live$/)).toBeVisible();
    const row = grid.getByTestId("secret-row").filter({ hasText: name });
    await expect(row).toHaveCount(0);
    const count = page.getByText(/^\d+ shown · live$/);
    const shown = Number(/^(\d+)/.exec((await count.textContent()) ?? "")?.[1]);
    // A marker that a reload (or any full navigation) would wipe out.
    await page.evaluate(() => {
      (window as unknown as { liveMarker: string }).liveMarker = "same document";
    });
    // The event carries the record: the page places it in its sort and filters without refetching.
    const listRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/secrets") listRequests.push(request.url());
    });

    kubectl(["apply", "-f", "-"], externalSecretYaml(name));
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`development/${name}`);
    await expect(row).toContainText("ExternalSecret");
    await expect(count).toHaveText(`${shown + 1} shown · live`);
    expect(listRequests, "the list was refetched").toEqual([]);

    kubectl(["delete", "externalsecret", "-n", "development", name]);
    await expect(row).toHaveCount(0);
    await expect(count).toHaveText(`${shown} shown · live`);
    expect(listRequests, "the list was refetched").toEqual([]);
    expect(
      await page.evaluate(() => (window as unknown as { liveMarker?: string }).liveMarker),
      "the page was reloaded",
    ).toBe("same document");
    await expect(page).toHaveURL(/\/secrets\?cluster=sandbox&namespace=development&sort=name$/);
    expect(problems()).toEqual([]);
  } finally {
    kubectl(["delete", "externalsecret", "-n", "development", name, "--ignore-not-found"]);
  }
});
