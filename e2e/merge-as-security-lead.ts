import type { Browser, Page } from "@playwright/test";
import { demoUsers } from "../lib/auth/demo-users";
import { authFile, expect } from "./auth-fixtures";
import { git } from "./seal-propose-support";

const lead = demoUsers.find((user) => user.role === "security-lead")!;

/** The row of a proposal on the Changes page, found by its branch (plain git shows the branch). */
export const proposalRow = (page: Page, branch: string) =>
  // Newest first; an earlier run's proposal for the same secret may share the branch name.
  page
    .getByRole("row")
    .filter({ has: page.getByText(branch, { exact: true }) })
    .first();

/**
 * Closing the loop as people do in the default plain-git setup: the developer who proposed cannot merge
 * (no Merge button for them), so a security lead, signed in in a browser of their own, presses Merge on
 * the Changes page; the developer then sees the pull request merged. Returns the merge commit.
 */
export async function mergeAsSecurityLead(
  browser: Browser,
  developer: Page,
  branch: string,
): Promise<string> {
  await developer.goto("/changes?state=open");
  await expect(proposalRow(developer, branch)).toBeVisible({ timeout: 30_000 });
  await expect(proposalRow(developer, branch).getByRole("button", { name: /^Merge / })).toHaveCount(0);

  const context = await browser.newContext({ storageState: authFile("app", "security-lead") });
  let short: string;
  try {
    const page = await context.newPage();
    await page.goto("/changes?state=open");
    // The table fits the content area: pressing a button in its last column must not scroll it sideways
    // and cut off the Secret column.
    const table = page.getByRole("table", { name: /pull requests/i });
    await expect(proposalRow(page, branch)).toBeVisible({ timeout: 30_000 });
    const scroller = await table.evaluate((el) => ({
      scrollWidth: el.parentElement!.scrollWidth,
      clientWidth: el.parentElement!.clientWidth,
    }));
    expect(scroller.scrollWidth).toBeLessThanOrEqual(scroller.clientWidth);
    await proposalRow(page, branch)
      .getByRole("button", { name: `Merge ${branch} into main` })
      .click();
    // The page keeps the announcement after the merged row leaves the "Open" list.
    const merged = page.getByRole("status").filter({ hasText: `Merged ${branch} into main as ` });
    await expect(merged).toHaveText(/ as [0-9a-f]{7}\.$/, { timeout: 60_000 });
    await expect(merged).toBeFocused();
    short = / as ([0-9a-f]{7})\.$/.exec((await merged.textContent()) ?? "")![1]!;
  } finally {
    await context.close();
  }
  const commit = git("rev-parse", `${short}^{commit}`).trim();
  expect(git("show", "-s", "--format=%cn", commit).trim()).toBe(lead.displayName);

  // The developer sees it merged, without anyone else's help.
  await developer.goto("/changes?state=merged");
  await expect(proposalRow(developer, branch)).toBeVisible({ timeout: 30_000 });
  await expect(proposalRow(developer, branch)).toContainText("Merged");
  return commit;
}
