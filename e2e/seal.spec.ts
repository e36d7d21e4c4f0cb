import { readFileSync } from "node:fs";
import type { Request } from "@playwright/test";
import { parse } from "yaml";
import { expect, test } from "./auth-fixtures";
import { unsealInNode } from "./unseal-in-node";

// Sealing is a developer's job (auditors, security leads and admins get the access-denied page).
test.use({ role: "developer" });

const certificatePem = readFileSync(
  new URL("../lib/sealing/testdata/interop/tls.crt", import.meta.url),
  "utf8",
);

// A value unlikely to appear anywhere by chance, so finding it in traffic would mean a leak.
const plaintext = `e2e-plaintext-${Date.now()}-Ünïcödé`;

function leaks(request: Request): boolean {
  const haystack = [request.url(), JSON.stringify(request.headers()), request.postData() ?? ""].join("\n");
  return haystack.includes(plaintext) || haystack.includes(encodeURIComponent(plaintext));
}

test("a value sealed in the page decrypts in Node, and never leaves the browser", async ({ page }) => {
  const requests: Request[] = [];
  page.on("request", (request) => requests.push(request));
  await page.goto("/seal?tool=value");

  const seal = page.getByRole("button", { name: "Seal", exact: true });
  await expect(seal).toBeDisabled();
  await page.getByLabel("Controller certificate").fill(certificatePem);
  await expect(page.getByTestId("certificate-fingerprint")).toContainText("SHA-256");
  await page.getByRole("textbox", { name: "Namespace" }).fill("production");
  await page.getByLabel("Secret name").fill("checkout-secrets");
  await page.getByLabel(/^Key/).fill("PAYMENT_API_KEY");
  await page.getByLabel("Value", { exact: true }).fill(plaintext);
  await seal.click();

  const output = page.getByRole("region", { name: "Sealed output" });
  await expect(output.getByRole("status")).toContainText("Sealed with the certificate");
  const ciphertext = await output.getByLabel("Sealed value").inputValue();

  const manifest = parse(await output.getByLabel("SealedSecret manifest").inputValue()) as {
    metadata: { name: string; namespace: string; annotations: Record<string, string> };
    spec: { encryptedData: Record<string, string> };
  };
  expect(manifest.metadata).toMatchObject({ name: "checkout-secrets", namespace: "production" });
  expect(manifest.metadata.annotations["sealdeck.io/sealed-with"]).toMatch(/^[0-9a-f]{64}$/);
  const sealedKey = manifest.spec.encryptedData.PAYMENT_API_KEY ?? "";
  const label = "production/checkout-secrets";
  expect(
    unsealInNode([
      { ciphertext, label },
      { ciphertext: sealedKey, label },
    ]),
  ).toEqual([plaintext, plaintext]);

  // The value field is cleared once sealed, and no request carried the plaintext.
  await expect(page.getByLabel("Value", { exact: true })).toHaveValue("");
  expect(requests.filter(leaks).map((r) => r.url())).toEqual([]);
  expect(
    await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
    ),
  ).not.toContain(plaintext);
});

test("each scope seals with its own label", async ({ page }) => {
  await page.goto("/seal?tool=value");
  await page.getByLabel("Controller certificate").fill(certificatePem);
  await page.getByRole("textbox", { name: "Namespace" }).fill("staging");
  await page.getByRole("radio", { name: "Namespace-wide" }).check();
  await page.getByLabel("Value", { exact: true }).fill("namespace-wide value");
  await page.getByRole("button", { name: "Seal", exact: true }).click();
  const output = page.getByRole("region", { name: "Sealed output" });
  const namespaceWide = await output.getByLabel("Sealed value").inputValue();
  expect(unsealInNode([{ ciphertext: namespaceWide, label: "staging" }])).toEqual(["namespace-wide value"]);
  expect(() => unsealInNode([{ ciphertext: namespaceWide, label: "staging/anything" }])).toThrow(
    /unseal failed/,
  );

  await page.getByRole("radio", { name: "Cluster-wide" }).check();
  await expect(page.getByRole("textbox", { name: /^Namespace \(not used/ })).toBeDisabled();
  await page.getByLabel("Value", { exact: true }).fill("cluster-wide value");
  await page.getByRole("button", { name: "Seal", exact: true }).click();
  await expect(output.getByLabel("Sealed value")).not.toHaveValue(namespaceWide);
  const clusterWide = await output.getByLabel("Sealed value").inputValue();
  expect(unsealInNode([{ ciphertext: clusterWide, label: "" }])).toEqual(["cluster-wide value"]);
});

test("bad input gets a clear message and nothing is sealed", async ({ page }) => {
  await page.goto("/seal?tool=value");
  await page
    .getByLabel("Controller certificate")
    .fill("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(/private key/i);
  await page.getByRole("textbox", { name: "Namespace" }).fill("Not_A_Namespace");
  await expect(page.getByRole("textbox", { name: "Namespace" })).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Value", { exact: true }).fill("x");
  await expect(page.getByRole("button", { name: "Seal", exact: true })).toBeDisabled();
  await expect(page.getByText(/^Needs a valid certificate/)).toBeVisible();
});

test("an empty seal form, submitted, lists what to fix and moves focus there", async ({ page }) => {
  await page.goto("/seal");
  await page.getByRole("button", { name: "Seal and propose" }).click();
  const problems = page.getByRole("alert", { name: "Problems to fix" });
  await expect(problems).toContainText("Choose at least one cluster");
  // The first refused submit too: a keyboard or screen-reader user lands on the list, not on the button.
  await expect(problems).toBeFocused();
});

test("the advisor recommends a SealedSecret or an ExternalSecret, saying why", async ({ page }) => {
  await page.goto("/seal");
  await page.getByText("SealedSecret or ExternalSecret? Ask the advisor").click();
  const advice = page.getByRole("status").filter({ hasText: "Recommended" });
  await page.getByRole("radio", { name: /About every quarter/ }).check();
  await expect(advice).toContainText("Recommended: SealedSecret");
  await page.getByRole("checkbox", { name: /generated by another system/ }).check();
  await expect(advice).toContainText("Recommended: ExternalSecret");
  await expect(advice).toContainText("Sealdeck does not write ExternalSecret manifests");
  await page.getByRole("checkbox", { name: /generated by another system/ }).uncheck();
  await page.getByRole("radio", { name: /Monthly or more often/ }).press("Space");
  await expect(advice).toContainText("Recommended: ExternalSecret");
});
