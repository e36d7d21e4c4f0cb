import { randomBytes } from "node:crypto";
import { authFile, expect, serverOf, test } from "./auth-fixtures";
import { kubeGet } from "./seal-propose-support";

// "Fix a value" as a developer (issue #21): from the secret's page, choose the wrong key, enter the
// corrected value in the rotate form, a security lead merges the pull request (the Merge button of the
// Changes page), and the page shows the consumers restarted once the cluster applied the new value.
test.use({ role: "developer" });
test.describe.configure({ timeout: 150_000 });

// sandbox-2 and a secret no other spec rotates: staging/agent-secrets, used by Deployment support-agent.
const [cluster, namespace, name, key] = ["sandbox-2", "staging", "agent-secrets", "OPENAI_API_KEY"] as const;

const restartedAt = async () =>
  (
    await kubeGet<{ spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }>(
      cluster,
      `/apis/apps/v1/namespaces/${namespace}/deployments/support-agent`,
    )
  ).body.spec?.template?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"] ?? null;

test("fix a value: rotate, merge, and see the consumers restarted", async ({ page, browser }, testInfo) => {
  const before = await restartedAt();
  await page.goto(`/secrets/${cluster}/${namespace}/SealedSecret/${name}`);
  await page.getByRole("button", { name: "Fix a value…" }).click();
  await page.getByRole("group", { name: "Fix a value" }).getByRole("checkbox", { name: key }).check();
  await page.getByRole("button", { name: "Continue to the rotate form" }).click();
  await expect(page).toHaveURL(
    new RegExp(`/seal\\?cluster=${cluster}&namespace=${namespace}&name=${name}&rotate=${key}$`),
  );

  await page.getByLabel("Value 1", { exact: true }).fill(`fixed-${randomBytes(12).toString("hex")}`);
  await page.getByRole("button", { name: /^Seal and propose/ }).click();
  await page.getByRole("button", { name: "Commit and open the pull request" }).click();
  const result = page.getByTestId("proposal-result");
  await expect(result).toBeFocused({ timeout: 60_000 });
  const branch = ((await result.getByTestId("pull-request-branch").textContent()) ?? "").trim();

  const lead = await browser.newContext({
    storageState: authFile(serverOf(testInfo.project.name), "security-lead"),
  });
  try {
    const changes = await lead.newPage();
    await changes.goto("/changes?state=open");
    await changes.getByRole("button", { name: `Merge ${branch} into main` }).click();
    await expect(
      changes.getByRole("status").filter({ hasText: `Merged ${branch} into main as ` }),
    ).toBeVisible();
  } finally {
    await lead.close();
  }

  await page.goto(`/secrets/${cluster}/${namespace}/SealedSecret/${name}`);
  const progress = page.getByLabel("Fix a value progress");
  await expect(progress.getByTestId("fix-state")).toHaveText("Restarted", { timeout: 90_000 });
  await expect(progress).toContainText("Restarted Deployment staging/support-agent.");
  expect(await restartedAt()).not.toBe(before);
  // After a reload the fix is still there, finished; a new fix can be started.
  await page.reload();
  await expect(page.getByLabel("Fix a value progress").getByTestId("fix-state")).toHaveText("Restarted");
  await expect(page.getByRole("button", { name: "Fix a value…" })).toBeVisible();
});
