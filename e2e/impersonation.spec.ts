import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { demoUsers } from "../lib/auth/demo-users";
import { roleLandingPages } from "../lib/auth/roles";
import type { SandboxRequestRecord } from "../sandbox/server/request-log";
import { kubeClient } from "../sandbox/testing/kube-request";
import { expect, test } from "./auth-fixtures";

// Issue #13 item 0, on the production build: with SEALDECK_KUBE_ACCESS=impersonate, force-sync, restart
// and the certificate fetch reach the API server as the signed-in user (Impersonate-User), so the
// cluster's RBAC refuses what that user may not do. The server (playwright.config.ts) runs against a
// sandbox whose policy lets the security lead patch only in `development`; the sandbox records every
// request's caller, impersonation and decision, read here from its admin-only /sandbox/requests.

test.use({ baseURL: `http://127.0.0.1:${process.env.E2E_IMPERSONATE_PORT}` });
// One user's actions at a time: the record is read as a sequence.
test.describe.configure({ mode: "serial" });

const kubeconfig = join(import.meta.dirname, "..", ".data", "e2e-impersonate", "sandbox", "kubeconfig");

async function sandboxRequests(since: number): Promise<SandboxRequestRecord[]> {
  const client = kubeClient(readFileSync(kubeconfig, "utf8"), { user: "sandbox-admin" });
  const response = await client.send("GET", `/sandbox/requests?since=${since}`);
  expect(response.status).toBe(200);
  return response.json<{ items: SandboxRequestRecord[] }>().items;
}

async function lastSeq(): Promise<number> {
  return (await sandboxRequests(0)).at(-1)?.seq ?? 0;
}

async function signIn(page: Page, role: "security-lead" | "developer") {
  const demo = demoUsers.find((u) => u.role === role)!;
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(demo.username);
  await page.getByLabel("Password").fill(demo.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Sign-in ends with a client-side move to the role's landing page; a goto racing it is aborted.
  await page.waitForURL((url) => url.pathname === roleLandingPages[role]);
  await expect(page.getByRole("button", { name: `Account: ${demo.displayName}` })).toBeVisible();
}

test("the cluster refuses the security lead's force-sync and restart where its RBAC does not allow them", async ({
  page,
}) => {
  // Two pages, four actions and a sign-in: on a busy 2-core machine this took 55 s of the default 60.
  test.setTimeout(180_000);
  const since = await lastSeq();
  await signIn(page, "security-lead");

  await page.goto("/secrets/sandbox/production/ExternalSecret/stripe-credentials");
  await page.getByRole("button", { name: "Force sync" }).click();
  await expect(
    page.getByText(/User "security-lead" cannot patch resource "externalsecrets".*"production"/),
  ).toBeVisible();
  await page.getByRole("button", { name: /^Restart \d+ consumers?$/ }).click();
  await expect(
    page.getByText("does not allow security-lead to patch deployments in namespace production"),
  ).toBeVisible();

  // Where the policy allows it, the same actions go through, still as the user.
  await page.goto("/secrets/sandbox/development/ExternalSecret/stripe-credentials");
  await page.getByRole("button", { name: "Force sync" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sync requested" })).toBeVisible();
  await page.getByRole("button", { name: /^Restart \d+ consumers?$/ }).click();
  await expect(page.getByText(/^Restarted Deployment development\//)).toBeVisible();

  const seen = await sandboxRequests(since);
  const patches = seen.filter((r) => r.method === "PATCH");
  expect(patches.map((r) => [r.path, r.decision])).toEqual([
    ["/apis/external-secrets.io/v1/namespaces/production/externalsecrets/stripe-credentials", "deny"],
    ["/apis/external-secrets.io/v1/namespaces/development/externalsecrets/stripe-credentials", "allow"],
    ["/apis/apps/v1/namespaces/development/deployments/web", "allow"],
  ]);
  for (const patch of patches)
    expect(patch).toMatchObject({
      user: "sandbox-admin",
      impersonatedUser: "security-lead",
      impersonatedGroups: ["sealdeck:security-lead"],
    });
  // The refused restart: the cluster's answer to the user's own access review.
  expect(seen).toContainEqual(
    expect.objectContaining({
      impersonatedUser: "security-lead",
      review: { verb: "patch", resource: "deployments", namespace: "production", allowed: false },
    }),
  );
});

test("the sealing certificate is fetched as the developer", async ({ page }) => {
  const since = await lastSeq();
  await signIn(page, "developer");
  const response = await page.request.get("/api/clusters/sandbox/certificate");
  expect(response.status()).toBe(200);
  // The inventory's own minutely controller check fetches it too, as Sealdeck: not these.
  const fetches = (await sandboxRequests(since)).filter(
    (r) => r.path.endsWith("/proxy/v1/cert.pem") && r.impersonatedUser !== null,
  );
  expect(fetches.length).toBeGreaterThan(0);
  for (const fetch of fetches)
    expect(fetch).toMatchObject({
      method: "GET",
      impersonatedUser: "developer",
      impersonatedGroups: ["sealdeck:developer"],
      decision: "allow",
    });
});
