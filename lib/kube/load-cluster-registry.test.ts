import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inventory } from "./inventory";
import { loadClusterRegistry } from "./load-cluster-registry";

let dir: string;
const kubeconfig = (clusters: { name: string; extension?: boolean }[]) => `apiVersion: v1
kind: Config
clusters:
${clusters.map((c) => `  - name: ${c.name}\n    cluster:\n      server: https://${c.name}.example.com:6443\n${c.extension ? "      extensions:\n        - name: sealdeck.io/sandbox\n          extension: {sandbox: true}\n" : ""}`).join("")}
contexts:
${clusters.map((c) => `  - name: ${c.name}-ctx\n    context: {cluster: ${c.name}, user: u}`).join("\n")}
users:
  - name: u
    user: {token: not-a-real-token}
current-context: ${clusters[0]?.name}-ctx
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sealdeck-registry-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadClusterRegistry", () => {
  it("has no clusters without KUBECONFIG, ~/.kube/config or a service account, and the inventory is empty, not failing", async () => {
    expect(loadClusterRegistry({ HOME: dir })).toEqual([]);
    const inventory = new Inventory([]);
    inventory.start();
    await inventory.ready(1000);
    expect(inventory.list()).toEqual([]);
    expect(inventory.clusterStatuses()).toEqual([]);
    inventory.stop();
  });

  it("lists every context and recognises the sandbox by its kubeconfig extension", async () => {
    const file = join(dir, "config");
    await writeFile(file, kubeconfig([{ name: "prod-eu" }, { name: "local", extension: true }]));
    const clusters = loadClusterRegistry({ KUBECONFIG: file });
    expect(clusters.map((c) => ({ name: c.name, server: c.server, sandbox: c.sandbox }))).toEqual([
      { name: "prod-eu-ctx", server: "https://prod-eu.example.com:6443", sandbox: false },
      { name: "local-ctx", server: "https://local.example.com:6443", sandbox: true },
    ]);
    expect(clusters[1]!.load().getCurrentContext()).toBe("local-ctx");
  });

  it("falls back to ~/.kube/config", async () => {
    await mkdir(join(dir, ".kube"), { recursive: true });
    await writeFile(join(dir, ".kube", "config"), kubeconfig([{ name: "home" }]));
    expect(loadClusterRegistry({ HOME: dir }).map((c) => c.name)).toEqual(["home-ctx"]);
  });
});
