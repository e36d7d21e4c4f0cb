// The secret inventory at scale: the sandbox's generated estate (SEALDECK_BENCH_OBJECTS SealedSecrets,
// default 20,000, half as many ExternalSecrets, over objects/20 namespaces) in a child process, the
// inventory caches in this one. Reference, same run, same API server: kubectl listing the same kinds.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { querySecretRecords } from "../lib/kube/query-secret-records";
import { secretListQuerySchema } from "../lib/validations/secret-list-query";
import { collectGarbage, syncInventory } from "./large-estate";
import type { BenchReport } from "./report";

const OBJECTS = Number(process.env.SEALDECK_BENCH_OBJECTS ?? 20_000);
const QUERIES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function startSandboxChild(kubeconfig: string) {
  const child = spawn(
    process.execPath,
    [
      "bin/sealdeck.js",
      "sandbox",
      "--objects",
      String(OBJECTS),
      "--kubeconfig",
      kubeconfig,
      "--no-gitops",
      "--quiet",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  // --quiet prints the kubeconfig path once the estate is loaded and the API is serving.
  await new Promise<void>((resolve, reject) => {
    createInterface(child.stdout).once("line", () => resolve());
    child.once("exit", (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
  return child;
}

function timeKubectl(kubeconfig: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      "kubectl",
      ["--kubeconfig", kubeconfig, "get", "sealedsecrets,externalsecrets", "-A", "-o", "json"],
      { maxBuffer: 1024 * 1024 * 1024 },
      (error) => (error ? reject(error) : resolve(performance.now() - started)),
    );
  });
}

export default async function run(): Promise<BenchReport> {
  const dir = await mkdtemp(join(tmpdir(), "sealdeck-bench-inventory-"));
  const kubeconfig = join(dir, "kubeconfig");
  const sandbox = await startSandboxChild(kubeconfig);
  try {
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    const { inventory, firstSyncMs: firstSync } = await syncInventory(kubeconfig, 600_000);
    collectGarbage();
    const rssAfter = process.memoryUsage().rss;
    const records = inventory.list();

    // A filtered page as GET /api/secrets serves it from the cache: filter, sort, page, serialize.
    const namespaces = [...new Set(records.map((r) => r.namespace).filter((n): n is string => n !== null))];
    const timings: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const query = secretListQuerySchema.parse({
        namespace: namespaces[i % namespaces.length],
        kind: i % 2 ? "SealedSecret" : undefined,
        text: i % 3 ? undefined : "a",
        limit: "100",
      });
      const t = performance.now();
      JSON.stringify(querySecretRecords(records, query));
      timings.push(performance.now() - t);
    }
    const wide: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      JSON.stringify(
        querySecretRecords(records, secretListQuerySchema.parse({ health: "Degraded", limit: "100" })),
      );
      wide.push(performance.now() - t);
    }
    timings.sort((a, b) => a - b);
    wide.sort((a, b) => a - b);
    const kubectl = await timeKubectl(kubeconfig);
    inventory.stop();
    const rssMb = (rssAfter - rssBefore) / 1024 / 1024;
    return {
      title: `Secret inventory (${records.length} records from a ${OBJECTS}-object sandbox estate)`,
      rows: [
        {
          name: "time to first full sync (list + watch of every kind, records built)",
          value: firstSync,
          unit: "ms",
          reference: { name: "kubectl get sealedsecrets,externalsecrets -A -o json", value: kubectl },
          ratio: firstSync / kubectl,
          note: "the inventory also lists Secrets (metadata), workloads, stores and Applications",
        },
        {
          name: "server memory for the caches (RSS growth)",
          value: rssMb,
          unit: "MB",
          target: "≤ 500 MB",
          pass: rssMb <= 500,
          note: "whole-process RSS after the first sync minus before it, each after a full garbage collection",
        },
        {
          name: "/api/secrets filtered page p50 (from the cache)",
          value: percentile(timings, 50),
          unit: "ms",
          target: "≤ 50 ms",
          pass: percentile(timings, 50) <= 50,
        },
        {
          name: "/api/secrets filtered page p95 (from the cache)",
          value: percentile(timings, 95),
          unit: "ms",
          target: "≤ 50 ms",
          pass: percentile(timings, 95) <= 50,
        },
        {
          name: "/api/secrets all Degraded, 100 per page, p95",
          value: percentile(wide, 95),
          unit: "ms",
          target: "≤ 50 ms",
          pass: percentile(wide, 95) <= 50,
        },
      ],
    };
  } finally {
    sandbox.kill("SIGTERM");
    await new Promise((resolve) => sandbox.once("exit", resolve));
    await rm(dir, { recursive: true, force: true });
  }
}
