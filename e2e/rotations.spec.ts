import { randomBytes } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { parseDemoEstateTrailers, demoKeyStates, demoManifestPath } from "../sandbox/seed/demo-history";
import type { RotationListResponse, RotationRow } from "../lib/validations/rotation";
import { expect, test } from "./auth-fixtures";
import { git } from "./seal-propose-support";

// The security lead's Rotations workspace against the e2e server's sandbox clusters and its local GitOps
// repository, whose demo estate has a backdated history (sandbox/seed/demo-history.ts says what each key's
// state should be). The rotation journey merges into that repository, so the specs run in order.
test.use({ role: "security-lead" });
test.describe.configure({ mode: "default", timeout: 240_000 });

const clusters = ["sandbox", "sandbox-2"] as const;
const DAY_MS = 86_400_000;
// The first visit of the page loads its table and its charts; on a busy 2-core machine that took 15 s.
const FIRST_ROWS = { timeout: 60_000 };

async function apiRows(request: APIRequestContext, query: string): Promise<RotationListResponse> {
  const response = await request.get(`/api/rotations?limit=5000&${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as RotationListResponse;
}

const idOf = (r: { cluster: string; namespace: string | null; name: string; key: string }) =>
  `${r.cluster}/${r.namespace}/${r.name}/${r.key}`;

/** The demo keys that should be overdue now: by the history, and not changed on main since it was made. */
function expectedOverdue(): Set<string> {
  const made = parseDemoEstateTrailers(git("log", "main", "--format=%B"));
  const ids = new Set<string>();
  for (const cluster of clusters) {
    const at = made.get(cluster);
    if (!at) continue;
    const elapsed = Math.floor((Date.now() - at.getTime()) / DAY_MS);
    for (const state of demoKeyStates([cluster], elapsed)) {
      if (state.status !== "overdue") continue;
      const path = demoManifestPath(cluster, "SealedSecret", state.namespace, state.name);
      // A later commit to the manifest (an earlier run's rotation) may have rotated it.
      const later = git("log", "--format=%H", `--since=${at.toISOString()}`, "main", "--", path).trim();
      if (later === "") ids.add(idOf(state));
    }
  }
  return ids;
}

/** The visible rows of the virtualized table, as the page shows them. */
function tableRows(page: Page) {
  return page.getByRole("grid", { name: "Keys and their rotation schedule" }).getByTestId("rotation-row");
}

test("the overdue list is the demo history's, with counts, evidence and policy shown", async ({ page }) => {
  const expected = expectedOverdue();
  expect(expected.size, "the e2e repository has demo keys left that are overdue").toBeGreaterThan(0);
  await expect
    .poll(
      async () => {
        const overdue = await apiRows(page.request, "status=overdue&kind=SealedSecret");
        const ids = new Set(overdue.rows.map(idOf));
        return [...expected].filter((id) => !ids.has(id));
      },
      { timeout: 90_000, message: "every overdue demo key is listed overdue" },
    )
    .toEqual([]);

  await page.goto("/rotations?status=overdue&kind=SealedSecret");
  const all = await apiRows(page.request, "status=overdue&kind=SealedSecret");
  await expect(page.getByTestId("rotation-count-overdue")).toContainText(
    String(all.counts.overdue),
    FIRST_ROWS,
  );
  await expect(page.getByTestId("rotation-count-overdue")).toHaveAttribute("aria-pressed", "true");
  await expect(tableRows(page).first()).toBeVisible(FIRST_ROWS);
  for (const status of await tableRows(page).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-status")),
  ))
    expect(status).toBe("overdue");
  // One overdue demo key under the default policy shows its evidence and where its policy came from.
  const sample = [...expected]
    .map((id) => id.split("/"))
    .find(([, , , key]) => key === "SEARCH_API_KEY" || key === "DB_PASSWORD");
  expect(sample, "an overdue demo key under the default policy").toBeDefined();
  const [cluster, namespace, name, key] = sample!;
  await page.getByRole("searchbox").fill(key!);
  const line = tableRows(page).and(
    page.locator(`[data-secret="${cluster}/${namespace}/${name}"][data-key="${key}"]`),
  );
  await expect(line).toBeVisible();
  await expect(line).toContainText("90d · default");
  await expect(line).toContainText(/git · commit [0-9a-f]{7}/);
  // The charts are drawn, each with an accessible table of its numbers.
  await expect(page.getByRole("figure")).toHaveCount(3, FIRST_ROWS);
  await expect(page.getByRole("table", { name: "Compliant or waived keys per team" })).toBeAttached();
});

test("filters live in the URL and survive a reload; the page works by keyboard", async ({ page }) => {
  await page.goto("/rotations");
  await page.getByTestId("rotation-count-overdue").click(FIRST_ROWS);
  await expect(page).toHaveURL(/status=overdue/);
  await page.getByLabel("Namespace").fill("production");
  await expect(page).toHaveURL(/namespace=production/);
  await page.reload();
  await expect(page.getByTestId("rotation-count-overdue")).toHaveAttribute(
    "aria-pressed",
    "true",
    FIRST_ROWS,
  );
  await expect(page.getByLabel("Namespace")).toHaveValue("production");
  await expect(tableRows(page).first()).toHaveAttribute("data-status", "overdue");
  for (const secret of await tableRows(page).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-secret")),
  ))
    expect(secret).toMatch(/^[^/]+\/production\//);

  // Keyboard: focus the table, move down, select with Space, open the seal form with R.
  const grid = page.getByRole("grid", { name: "Keys and their rotation schedule" });
  await grid.focus();
  await page.keyboard.press("ArrowDown");
  await expect(grid).toHaveAttribute("aria-activedescendant", "rotation-row-1");
  await page.keyboard.press("Home");
  await expect(grid).toHaveAttribute("aria-activedescendant", "rotation-row-0");
  await page.keyboard.press("Space");
  await expect(page.getByRole("region", { name: "Selected keys" })).toContainText("1 key selected");
  await page.keyboard.press("r");
  await expect(page).toHaveURL(/\/seal\?cluster=.*&rotate=/);
});

test("a developer sees only the namespaces granted", async ({ browser }) => {
  const context = await browser.newContext({
    storageState: (await import("./auth-fixtures")).authFile("app", "developer"),
  });
  try {
    const page = await context.newPage();
    await page.goto("/rotations");
    await expect(tableRows(page).first()).toBeVisible(FIRST_ROWS);
    const all = await apiRows(page.request, "");
    expect(all.rows.length).toBeGreaterThan(0);
    for (const row of all.rows) expect(["staging", "development"]).toContain(row.namespace);
    for (const secret of await tableRows(page).evaluateAll((rows) =>
      rows.map((r) => r.getAttribute("data-secret")),
    ))
      expect(secret).toMatch(/^[^/]+\/(staging|development)\//);
    // A developer cannot edit policies or waive.
    await expect(page.getByRole("button", { name: "Add policy" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Waive…" })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("the report download and the page agree on every key and status", async ({ page }) => {
  await page.goto("/rotations?namespace=production");
  await expect(tableRows(page).first()).toBeVisible(FIRST_ROWS);
  const download = page.waitForEvent("download");
  await page
    .getByRole("group", { name: "Rotation report for these filters" })
    .getByRole("link", { name: "JSON" })
    .click();
  const file = await (await download).path();
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(file, "utf8");
  const page1 = await apiRows(page.request, "namespace=production");
  for (const row of page1.rows) {
    expect(text).toContain(row.id);
  }
  const report = JSON.parse(text) as unknown;
  const rows = (
    Array.isArray(report) ? report : ((report as { rows?: unknown[] }).rows ?? [])
  ) as RotationRow[];
  expect(rows.map((r) => `${r.id}=${r.status}`).sort()).toEqual(
    page1.rows.map((r) => `${r.id}=${r.status}`).sort(),
  );
});

test("Rotate now on an overdue key, merge, sync: the key leaves the overdue list, attributed to the pull request", async ({
  page,
}) => {
  const overdue = await apiRows(page.request, "status=overdue&kind=SealedSecret&cluster=sandbox");
  const expected = expectedOverdue();
  // A demo key (its manifest is in the repository); not the one sealed for a key that no longer exists.
  const target = overdue.rows.find((r) => expected.has(idOf(r)) && r.name !== "legacy-payment-gateway");
  expect(target, "an overdue demo key is left to rotate").toBeDefined();
  const row = target!;
  await page.goto(`/rotations?status=overdue&cluster=sandbox&text=${encodeURIComponent(row.key)}`);
  const line = tableRows(page).and(
    page.locator(`[data-secret="sandbox/${row.namespace}/${row.name}"][data-key="${row.key}"]`),
  );
  await expect(line).toBeVisible(FIRST_ROWS);
  await line.getByRole("link", { name: "Rotate now" }).click();
  await expect(page).toHaveURL(
    new RegExp(`/seal\\?cluster=sandbox&namespace=${row.namespace}&name=${row.name}&rotate=`),
  );
  await expect(page.getByLabel("Key 1", { exact: true })).toHaveValue(row.key);
  await page.getByLabel("Value 1", { exact: true }).fill(`rotated-${randomBytes(18).toString("base64url")}`);
  await expect(page.getByTestId("certificate-fingerprint-sandbox")).toContainText("SHA-256");
  await page.getByRole("button", { name: /^Seal and propose/ }).click();
  await expect(page.getByLabel("File for sandbox", { exact: true })).toHaveValue(
    demoManifestPath("sandbox", "SealedSecret", row.namespace, row.name),
  );
  await page.getByRole("button", { name: "Commit and open the pull request" }).click();
  const branch = (await page.getByTestId("pull-request-branch").textContent({ timeout: 60_000 })) ?? "";
  expect(branch).not.toBe("");

  git("merge", "--no-ff", "--quiet", "-m", `Merge ${branch}`, branch);
  await expect
    .poll(
      async () => {
        const now = await apiRows(
          page.request,
          `cluster=sandbox&namespace=${row.namespace}&text=${encodeURIComponent(row.name)}`,
        );
        const after = now.rows.find((r) => r.id === row.id);
        return after ? `${after.status} ${after.evidence?.kind} ${after.evidence?.description}` : "missing";
      },
      { timeout: 180_000, intervals: [2000] },
    )
    .toMatch(/^compliant (observed|pull-request) .*pull request/);
  await page.goto(`/rotations?cluster=sandbox&text=${encodeURIComponent(row.key)}`);
  const rotated = tableRows(page).and(
    page.locator(`[data-secret="sandbox/${row.namespace}/${row.name}"][data-key="${row.key}"]`),
  );
  await expect(rotated).toHaveAttribute("data-status", "compliant", FIRST_ROWS);
  await expect(rotated).toContainText(/pull request/);
  await page.goto("/rotations?status=overdue&cluster=sandbox");
  await expect(
    page.locator(`[data-secret="sandbox/${row.namespace}/${row.name}"][data-key="${row.key}"]`),
  ).toHaveCount(0);
});
