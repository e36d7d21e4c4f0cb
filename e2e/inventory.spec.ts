import { expect, test } from "./auth-fixtures";
import { guardConsole } from "./console-guard";

// The inventory journey on the sandbox's demo estate: Overview → Secrets → filter → the SealedSecret
// that cannot be unsealed → its diagnosis in plain words.
test.use({ role: "security-lead" });

test("from the overview to the diagnosis of a failing SealedSecret", async ({ page }) => {
  const problems = guardConsole(page);
  await page.goto("/");
  const inventory = page.getByRole("region", { name: "Secret inventory" });
  await expect(inventory.getByText("All secrets")).toBeVisible();
  const clusters = page.getByRole("region", { name: "Clusters and sealing controllers" });
  await expect(clusters.getByText("sandbox", { exact: true }).last()).toBeVisible();
  await expect(
    // The sandbox runs two clusters with the same demo estate, so it is listed once per cluster.
    page
      .getByRole("region", { name: /Needs attention/ })
      .getByText("legacy-payment-gateway")
      .first(),
  ).toBeVisible();

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Secrets", exact: true })
    .click();
  await expect(page).toHaveURL(/\/secrets$/);
  const grid = page.getByRole("grid", { name: "Secrets" });
  await expect(grid.getByTestId("secret-row").first()).toBeVisible();

  await page.getByRole("combobox", { name: "Cluster", exact: true }).selectOption("sandbox");
  await expect(page).toHaveURL(/cluster=sandbox/);
  await page.getByLabel("Kind").selectOption("SealedSecret");
  // One filter at a time: each change rewrites the URL from the filters it was made with.
  await expect(page).toHaveURL(/kind=SealedSecret/);
  await page.getByRole("combobox", { name: /^Health/ }).selectOption("Degraded");
  await expect(page).toHaveURL(/health=Degraded/);
  await expect(page).toHaveURL(/kind=SealedSecret/);
  await expect(grid.getByTestId("secret-row")).toHaveCount(1);
  await expect(grid.getByTestId("secret-row").first()).toContainText("legacy-payment-gateway");

  // Keyboard: focus the table, the first row is active, Enter opens it.
  await grid.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/secrets\/sandbox\/production\/SealedSecret\/legacy-payment-gateway$/);
  await expect(
    page.getByRole("heading", { level: 1, name: "production/legacy-payment-gateway" }),
  ).toBeVisible();
  const diagnosis = page.getByRole("note", { name: "Diagnosis" });
  await expect(diagnosis).toContainText("Why it cannot be unsealed");
  await expect(diagnosis).toContainText("2048-bit");
  await expect(page.getByRole("region", { name: "Recent events" })).toContainText("ErrUnsealFailed");
  expect(problems()).toEqual([]);
});

test("an unreachable secret store lists what depends on it, on the Recovery page", async ({ page }) => {
  const problems = guardConsole(page);
  await page.goto("/recovery");
  // The demo's AWS store cannot be reached from the sandbox; each sandbox cluster has one.
  const block = page
    .getByRole("region", { name: "Unreachable secret stores" })
    .getByRole("region", { name: /^SecretStore production\/aws-secrets-manager on sandbox$/ });
  await expect(block).toContainText("Not Ready: ValidationFailed");
  const row = block.getByRole("row", { name: /production\/legacy-aws-credentials/ });
  await expect(row).toContainText("unknown");
  await expect(row).toContainText("never");
  await row.getByRole("link", { name: "production/legacy-aws-credentials" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/secrets\/sandbox\/production\/ExternalSecret\/legacy-aws-credentials$/);
  expect(problems()).toEqual([]);
});

test("filters live in the URL and survive a reload", async ({ page }) => {
  await page.goto("/secrets?kind=ExternalSecret&health=Stale");
  const grid = page.getByRole("grid", { name: "Secrets" });
  await expect(grid.getByTestId("secret-row").first()).toContainText("reporting-database");
  await expect(page.getByLabel("Kind")).toHaveValue("ExternalSecret");
  await page.reload();
  await expect(page.getByRole("combobox", { name: /^Health/ })).toHaveValue("Stale");
});

test.describe("as a developer", () => {
  test.use({ role: "developer" });

  test("only granted namespaces are listed", async ({ page }) => {
    await page.goto("/secrets");
    const grid = page.getByRole("grid", { name: "Secrets" });
    await expect(grid.getByTestId("secret-row").first()).toBeVisible();
    await expect(grid).not.toContainText("production/");
  });
});

test("a secret's own URL shows its sections from the page's one response, without asking their routes", async ({
  page,
}) => {
  const problems = guardConsole(page);
  const sectionReads: string[] = [];
  page.on("request", (request) => {
    const { pathname } = new URL(request.url());
    if (/^\/api\/secrets\/.+\/(events|history|fixes)$/.test(pathname) || pathname === "/api/proposals")
      sectionReads.push(pathname);
  });
  await page.goto("/secrets/sandbox/production/SealedSecret/legacy-payment-gateway");
  await expect(page.getByRole("region", { name: "Recent events" })).toContainText("ErrUnsealFailed");
  // The timeline is read after the view's audit write, so this visit is among the page views.
  await expect(page.getByRole("list", { name: "Page views, newest first" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" })).not.toContainText("Loading the history");
  await expect(page.getByRole("region", { name: "Pull requests" })).not.toContainText(
    "Loading pull requests",
  );
  expect(sectionReads).toEqual([]);
  expect(problems()).toEqual([]);
});
