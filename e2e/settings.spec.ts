import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { parse } from "yaml";
import { authFile, expect, serverOf, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// Settings on the sandbox: an admin names the cluster and everyone sees the name in Secrets; an auditor
// sees the same settings read-only; a security lead acknowledges a new sealing key's backup.

const displayName = "Demo sandbox (e2e)";

async function saveCluster(page: Page, name: string, environment: string) {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Settings of cluster sandbox", exact: true });
  await form.getByLabel("Display name").fill(name);
  await form.getByLabel("Environment").selectOption(environment);
  await form.getByRole("button", { name: "Save sandbox" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
}

/** Asks the sandbox's sealed-secrets controller for a new key, as `kubeseal` users would see after 30 days. */
async function renewSandboxKey(server: "app" | "dev") {
  const kubeconfig = parse(
    readFileSync(join(import.meta.dirname, "..", ".data", `e2e-${server}`, "sandbox", "kubeconfig"), "utf8"),
  ) as {
    clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
    users: { name: string; user: { token: string } }[];
  };
  const cluster = kubeconfig.clusters.find((c) => c.name === "sandbox")!.cluster;
  const token = kubeconfig.users.find((u) => u.name === "sandbox-admin")!.user.token;
  const url = new URL(
    "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/sandbox/renew-key",
    cluster.server,
  );
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: "POST",
        ca: Buffer.from(cluster["certificate-authority-data"], "base64"),
        headers: { authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
  expect(status).toBe(200);
}

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("a cluster's display name and environment show in Secrets", async ({ page, browser }, testInfo) => {
    const problems = guardConsole(page);
    // Validation happens before anything is sent.
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Settings of cluster sandbox", exact: true });
    await form.getByLabel("Display name").fill("x".repeat(81));
    await form.getByRole("button", { name: "Save sandbox" }).click();
    await expect(form.getByText("at most 80 characters")).toBeVisible();
    await form.getByLabel("Display name").fill("");
    // A controller reached by URL: plain http to another machine is refused before anything is sent.
    await form.getByRole("radio", { name: /This URL/ }).check();
    await form.getByLabel("Controller URL").fill("http://sealed-secrets.example.com");
    await expect(form.getByLabel("Namespace of its keys")).toHaveValue("kube-system");
    await form.getByRole("button", { name: "Save sandbox" }).click();
    await expect(form.getByText(/must use https/)).toBeVisible();
    await form.getByRole("radio", { name: /Discover it/ }).check();

    await saveCluster(page, displayName, "staging");
    const lead = await browser.newContext({
      storageState: authFile(serverOf(testInfo.project.name), "security-lead"),
    });
    try {
      const secrets = await lead.newPage();
      await secrets.goto("/secrets");
      const badge = secrets.getByTestId("cluster-badge-sandbox");
      await expect(badge).toContainText(displayName);
      await expect(badge).toContainText("staging");
    } finally {
      await lead.close();
      // Leave the cluster as the other specs expect it.
      await saveCluster(page, "", "");
    }
    expect(problems()).toEqual([]);
  });

  test("an invalid repository is refused with the field's message", async ({ page }) => {
    await page.goto("/settings");
    const repositories = page.getByRole("region", { name: "Repositories" });
    await expect(repositories.getByText("local default").first()).toBeVisible();
    await repositories.getByRole("button", { name: "Add repository" }).click();
    const form = repositories.getByRole("form", { name: "Add a repository" });
    await form.getByLabel("Provider").selectOption("gitlab");
    await form.getByLabel("Repository (owner/name)").fill("platform/gitops");
    await form.getByLabel(/Token – environment variable NAME/).fill("glpat-this-is-a-token");
    await form.getByRole("button", { name: "Add repository" }).click();
    await expect(form.getByText(/must be an environment variable name/)).toBeVisible();
    // A server variable that is not reserved for Git credentials, then a host the operator did not allow.
    await form.getByLabel(/Token – environment variable NAME/).fill("DATABASE_URL");
    await form.getByRole("button", { name: "Add repository" }).click();
    await expect(form.getByText(/must start with SEALDECK_GIT_/)).toBeVisible();
    await form.getByLabel(/Token – environment variable NAME/).fill("SEALDECK_GIT_GITLAB_TOKEN");
    await expect(
      form.getByText(/Only api\.github\.com and gitlab\.com while SEALDECK_GIT_ALLOWED_HOSTS/),
    ).toBeVisible();
    await form.getByLabel(/API base URL/).fill("https://gitlab.attacker.example");
    await form.getByRole("button", { name: "Add repository" }).click();
    await expect(
      form.getByText(/uses the Git host gitlab\.attacker\.example, which is not allowed/),
    ).toBeVisible();
    await form.getByRole("button", { name: "Cancel" }).click();
    await expect(repositories.getByText("local default").first()).toBeVisible();
  });
});

test.describe("as an auditor", () => {
  test.use({ role: "auditor" });

  test("settings are visible and read-only", async ({ page }) => {
    await page.goto("/settings");
    const clusters = page.getByRole("region", { name: "Clusters" });
    await expect(
      clusters.getByText("Read-only: changing this needs the Admin role (clusters:write)."),
    ).toBeVisible();
    await expect(clusters.getByTestId("cluster-settings-sandbox").getByText("Display name")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Save/ })).toHaveCount(0);
    for (const name of ["Clusters", "Repositories", "OIDC group mapping", "Audit retention"])
      await expect(page.getByRole("region", { name }).getByRole("textbox")).toHaveCount(0);
    await expect(
      page.getByRole("region", { name: "Repositories" }).getByText(/Read-only: changing this needs/),
    ).toBeVisible();
    await expect(
      page.getByRole("region", { name: "OIDC group mapping" }).getByText(/Read-only: changing this needs/),
    ).toBeVisible();
  });
});

test.describe("as a security lead", () => {
  test.use({ role: "security-lead" });

  test("a new sealing key is flagged until its backup is acknowledged", async ({ page }, testInfo) => {
    await renewSandboxKey(serverOf(testInfo.project.name));
    // The first cluster of the sandbox's kubeconfig, the one whose controller renewed its key.
    const clusters = page.getByTestId("cluster-settings-sandbox");
    const warning = clusters.getByText(/has not been acknowledged as backed up/).first();
    // The e2e server re-reads the controller every 2 s (SEALDECK_CONTROLLER_REFRESH_SECONDS in
    // playwright.config.ts): reload until the new key is seen.
    await expect(async () => {
      await page.goto("/settings");
      await expect(warning).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await clusters.getByRole("button", { name: /Keys backed up: acknowledge/ }).click();
    await expect(clusters.getByText(/has not been acknowledged as backed up/)).toHaveCount(0);
    await expect(clusters.getByText(/sealing certificate changed/)).toHaveCount(0);
    await page.goto("/");
    const warnings = page.getByRole("list", { name: "Warnings" }).getByRole("note");
    await expect(warnings.filter({ hasText: /^sandbox: .*has not been acknowledged/ })).toHaveCount(0);
  });
});
