import { KubeConfig, KubernetesObjectApi, makeInformer } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually } from "../testing/kube-request";
import { apiVersionOf, storedKinds } from "./resource-kinds";

// The real @kubernetes/client-node against the sandbox: informers must list, watch and recover from
// a 410 by relisting, which is what the dashboard's caches do.
let sandbox: Sandbox;
let kc: KubeConfig;
let objects: KubernetesObjectApi;

beforeAll(async () => {
  sandbox = await startSandbox({ noDemo: true, quiet: true });
  kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  objects = kc.makeApiClient(KubernetesObjectApi);
  await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "informed" } });
});
afterAll(() => sandbox?.stop());

function collectionPath(kind: (typeof storedKinds)[number]) {
  return `/${kind.group === "" ? "api" : `apis/${kind.group}`}/${kind.version}/${kind.plural}`;
}

/** A minimal valid object of each kind; the sandbox validates names and namespaces, not specs. */
function sample(kind: (typeof storedKinds)[number], name: string): KubernetesObject {
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata: { name, ...(kind.namespaced ? { namespace: "informed" } : {}) },
  };
}

describe("makeInformer", () => {
  it("lists and watches every served kind", async () => {
    for (const kind of storedKinds) {
      const informer = makeInformer(kc, collectionPath(kind), () =>
        objects.list(apiVersionOf(kind), kind.kind),
      );
      const added: string[] = [];
      informer.on("add", (o) => added.push(o.metadata?.name ?? ""));
      await informer.start();
      const name = `probe-${kind.plural}-${kind.version}`.toLowerCase();
      await objects.create(sample(kind, name));
      await eventually(() => (added.includes(name) ? true : undefined));
      expect(
        informer.list().some((o) => o.metadata?.name === name),
        `${kind.kind} ${kind.version}`,
      ).toBe(true);
      await informer.stop();
    }
  });

  it("relists after a forced 410 and picks up changes made while it was disconnected", async () => {
    const lists: number[] = [];
    const informer = makeInformer(kc, "/api/v1/namespaces/informed/configmaps", async () => {
      lists.push(Date.now());
      return objects.list("v1", "ConfigMap", "informed");
    });
    const seen = new Set<string>();
    const errors: unknown[] = [];
    informer.on("add", (o) => seen.add(o.metadata?.name ?? ""));
    informer.on("delete", (o) => seen.delete(o.metadata?.name ?? ""));
    informer.on("error", (e) => errors.push(e));
    await informer.start();
    await objects.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "before", namespace: "informed" },
    });
    await eventually(() => (seen.has("before") ? true : undefined));
    expect(lists).toHaveLength(1);

    // Compaction plus dropped connections: the informer resumes from a resourceVersion that is gone.
    sandbox.clusters[0]!.expireWatches();
    await objects.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after", namespace: "informed" },
    });
    await eventually(() => (lists.length >= 2 && seen.has("after") ? true : undefined));
    await objects.delete({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "before", namespace: "informed" },
    });
    await eventually(() => (!seen.has("before") ? true : undefined));
    expect(errors).toEqual([]);
    await informer.stop();
  });
});
