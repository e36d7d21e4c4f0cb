import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startSandbox } from "./start-sandbox";
import { kubeClient } from "./testing/kube-request";

// `npm run dev` keeps each sandbox cluster's sealing key (keyDir), so what was sealed for it before a
// restart still unseals after one; without keyDir every start makes a fresh key.
const proxy = "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy";
const dir = await mkdtemp(join(tmpdir(), "sealdeck-kept-key-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function certificates(options: { keyDir?: string }): Promise<string[]> {
  const sandbox = await startSandbox({ port: 0, quiet: true, noDemo: true, clusters: 2, ...options });
  try {
    return await Promise.all(
      sandbox.contexts.map(async (cluster) => {
        const api = kubeClient(sandbox.kubeconfig, { cluster });
        return (await api.send("GET", `${proxy}/v1/cert.pem`)).body;
      }),
    );
  } finally {
    await sandbox.stop();
  }
}

it("serves the same certificate after a restart with keyDir, and a new one without", async () => {
  const keyDir = join(dir, "keys");
  const first = await certificates({ keyDir });
  const second = await certificates({ keyDir });
  expect(first[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(second).toEqual(first);
  // Each cluster has its own key, and the file holding it is private.
  expect(first[0]).not.toBe(first[1]);
  expect((await stat(join(keyDir, "sandbox.json"))).mode & 0o077).toBe(0);
  const fresh = await certificates({});
  expect(fresh[0]).not.toBe(first[0]);
}, 180_000);
