import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import type { Role } from "../lib/auth/roles";

// Shared by every spec: sign-in as a role through the sessions the setup project saved, and a guard
// that fails the test when the browser reports a Content-Security-Policy violation.

// Under .data (git-ignored, like the e2e servers' databases these sessions belong to).
const authDir = join(import.meta.dirname, "..", ".data", "e2e-auth");

/** The saved session of a role on one of the two servers ("app": production build, "dev": next dev). */
export function authFile(server: "app" | "dev", role: Role): string {
  mkdirSync(authDir, { recursive: true });
  return join(authDir, `${server}-${role}.json`);
}

export function serverOf(projectName: string): "app" | "dev" {
  return projectName.endsWith("dev") ? "dev" : "app";
}

/** What each role may open, written out as the expectation (issue 7's role descriptions). */
export const sectionsByRole: Record<Role, readonly string[]> = {
  developer: ["/", "/secrets", "/seal", "/changes", "/rotations", "/recovery"],
  "security-lead": ["/", "/secrets", "/seal", "/changes", "/rotations", "/recovery", "/audit", "/settings"],
  auditor: ["/", "/secrets", "/changes", "/rotations", "/recovery", "/audit", "/settings"],
  admin: ["/", "/rotations", "/settings"],
};

async function watchCsp(page: Page, violations: string[]) {
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      // Surfaced through the console so the test process sees it even across navigations.
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy/i.test(text)) violations.push(text);
  });
}

type Fixtures = { role: Role | undefined; cspViolations: string[] };

export const test = base.extend<Fixtures>({
  role: [undefined, { option: true }],
  // `provide` rather than Playwright's usual `use`, which React's hook lint rule would mistake for a hook.
  storageState: async ({ role, storageState }, provide, testInfo) => {
    await provide(role ? authFile(serverOf(testInfo.project.name), role) : storageState);
  },
  cspViolations: [
    async ({ page }, provide) => {
      const violations: string[] = [];
      await watchCsp(page, violations);
      await provide(violations);
      expect(violations, "the browser reported Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
