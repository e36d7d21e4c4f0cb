import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../start-sandbox";
import { startSandbox } from "../../start-sandbox";
import { eventually, kubeClient } from "../../testing/kube-request";

// The ESO emulation through the API, from a near-empty cluster so each case sets up what it needs.
let sandbox: Sandbox;
let api: ReturnType<typeof kubeClient>;
const es = "/apis/external-secrets.io/v1/namespaces/shop/externalsecrets";
const merge = { "Content-Type": "application/merge-patch+json" };

type ExternalSecretStatus = {
  status?: {
    refreshTime?: string;
    syncedResourceVersion?: string;
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
};

beforeAll(async () => {
  sandbox = await startSandbox({ noDemo: true, quiet: true });
  api = kubeClient(sandbox.kubeconfig);
  await api.send("POST", "/api/v1/namespaces", {
    body: { metadata: { name: "shop", labels: { tier: "web" } } },
  });
  await api.send("POST", "/apis/external-secrets.io/v1/namespaces/shop/secretstores", {
    body: {
      metadata: { name: "fake" },
      spec: {
        provider: {
          fake: {
            data: [
              { key: "/db", value: '{"user":"app","password":"pw1"}' },
              { key: "/token", value: "t1", version: "v1" },
              { key: "/token", value: "t2", version: "v2" },
            ],
          },
        },
      },
    },
  });
  await api.send("POST", "/apis/external-secrets.io/v1/namespaces/shop/secretstores", {
    body: { metadata: { name: "vault" }, spec: { provider: { vault: { server: "https://vault.invalid" } } } },
  });
});
afterAll(() => sandbox?.stop());

const ready = async (name: string) =>
  eventually(async () => {
    const object = (await api.send("GET", `${es}/${name}`)).json<ExternalSecretStatus>();
    return object.status?.conditions?.[0] ? object : undefined;
  });

const createExternalSecret = (name: string, spec: Record<string, unknown>) =>
  api.send("POST", es, {
    body: { metadata: { name }, spec: { secretStoreRef: { name: "fake" }, refreshInterval: "1h", ...spec } },
  });

describe("stores", () => {
  it("validates the fake provider and fails any other", async () => {
    const condition = async (name: string) =>
      eventually(
        async () =>
          (
            await api.send("GET", `/apis/external-secrets.io/v1/namespaces/shop/secretstores/${name}`)
          ).json<ExternalSecretStatus>().status?.conditions?.[0],
      );
    expect(await condition("fake")).toMatchObject({ type: "Ready", status: "True", reason: "Valid" });
    expect(await condition("vault")).toMatchObject({
      type: "Ready",
      status: "False",
      reason: "ValidationFailed",
    });
  });
});

describe("ExternalSecret sync", () => {
  it("writes a managed Secret with data-hash and reports SecretSynced", async () => {
    await createExternalSecret("db", {
      data: [
        { secretKey: "password", remoteRef: { key: "/db", property: "password" } },
        { secretKey: "token", remoteRef: { key: "/token", version: "v1" } },
      ],
    });
    const object = await ready("db");
    expect(object.status).toMatchObject({
      refreshTime: expect.any(String),
      syncedResourceVersion: expect.stringMatching(/^1-/),
      conditions: [{ type: "Ready", status: "True", reason: "SecretSynced" }],
    });
    const secret = (await api.send("GET", "/api/v1/namespaces/shop/secrets/db")).json<{
      data: Record<string, string>;
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    }>();
    expect(secret.metadata.labels["reconcile.external-secrets.io/managed"]).toBe("true");
    expect(secret.metadata.annotations["reconcile.external-secrets.io/data-hash"]).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(secret.data.password!, "base64").toString()).toBe("pw1");
    expect(Buffer.from(secret.data.token!, "base64").toString()).toBe("t1");
  });

  it("reports SecretSyncedError for a missing key or an unready store, without a refreshTime", async () => {
    await createExternalSecret("missing", { data: [{ secretKey: "x", remoteRef: { key: "/nope" } }] });
    await createExternalSecret("unready", {
      secretStoreRef: { name: "vault" },
      data: [{ secretKey: "x", remoteRef: { key: "/db" } }],
    });
    for (const name of ["missing", "unready"]) {
      const object = await ready(name);
      expect(object.status?.conditions?.[0]).toMatchObject({ status: "False", reason: "SecretSyncedError" });
      expect(object.status?.refreshTime).toBeUndefined();
    }
  });

  it("syncs again at once when an annotation changes (force-sync)", async () => {
    const before = await ready("db");
    await api.send("PATCH", `${es}/db`, {
      body: { metadata: { annotations: { "force-sync": "1" } } },
      headers: merge,
    });
    const after = await eventually(async () => {
      const object = (await api.send("GET", `${es}/db`)).json<ExternalSecretStatus>();
      return object.status?.syncedResourceVersion !== before.status?.syncedResourceVersion
        ? object
        : undefined;
    });
    expect(after.status?.conditions?.[0]?.reason).toBe("SecretSynced");
  });

  it("follows refreshPolicy: CreatedOnce ignores spec changes, OnChange picks them up", async () => {
    await createExternalSecret("once", {
      refreshPolicy: "CreatedOnce",
      data: [{ secretKey: "token", remoteRef: { key: "/token", version: "v1" } }],
    });
    await createExternalSecret("onchange", {
      refreshPolicy: "OnChange",
      data: [{ secretKey: "token", remoteRef: { key: "/token", version: "v1" } }],
    });
    await ready("once");
    await ready("onchange");
    const toV2 = { spec: { data: [{ secretKey: "token", remoteRef: { key: "/token", version: "v2" } }] } };
    await api.send("PATCH", `${es}/once`, { body: toV2, headers: merge });
    await api.send("PATCH", `${es}/onchange`, { body: toV2, headers: merge });
    const token = async (name: string) =>
      Buffer.from(
        (await api.send("GET", `/api/v1/namespaces/shop/secrets/${name}`)).json<{ data: { token: string } }>()
          .data.token,
        "base64",
      ).toString();
    await eventually(async () => ((await token("onchange")) === "t2" ? true : undefined));
    await sandbox.clusters[0]!.settle();
    expect(await token("once")).toBe("t1");
  });

  it("recreates a deleted target Secret", async () => {
    await api.send("DELETE", "/api/v1/namespaces/shop/secrets/db");
    await eventually(async () =>
      (await api.send("GET", "/api/v1/namespaces/shop/secrets/db")).status === 200 ? true : undefined,
    );
  });
});

describe("ClusterExternalSecret", () => {
  it("creates an ExternalSecret in each selected namespace and removes it when the namespace stops matching", async () => {
    await api.send("POST", "/api/v1/namespaces", {
      body: { metadata: { name: "other", labels: { tier: "web" } } },
    });
    await api.send("POST", "/apis/external-secrets.io/v1/namespaces/other/secretstores", {
      body: {
        metadata: { name: "fake" },
        spec: { provider: { fake: { data: [{ key: "/db", value: '{"password":"other"}' }] } } },
      },
    });
    await api.send("POST", "/apis/external-secrets.io/v1/clusterexternalsecrets", {
      body: {
        metadata: { name: "shared", annotations: { "external-secrets.io/force-sync": "7" } },
        spec: {
          namespaceSelectors: [{ matchLabels: { tier: "web" } }],
          externalSecretSpec: {
            secretStoreRef: { name: "fake" },
            data: [{ secretKey: "password", remoteRef: { key: "/db", property: "password" } }],
          },
        },
      },
    });
    const child = await eventually(async () => {
      const response = await api.send(
        "GET",
        "/apis/external-secrets.io/v1/namespaces/other/externalsecrets/shared",
      );
      return response.status === 200
        ? response.json<{
            metadata: { annotations: Record<string, string>; ownerReferences: { kind: string }[] };
          }>()
        : undefined;
    });
    expect(child.metadata.ownerReferences[0]?.kind).toBe("ClusterExternalSecret");
    expect(child.metadata.annotations["external-secrets.io/force-sync"]).toBe("7");
    await eventually(async () =>
      (await api.send("GET", "/api/v1/namespaces/other/secrets/shared")).status === 200 ? true : undefined,
    );
    const status = await eventually(
      async () =>
        (await api.send("GET", "/apis/external-secrets.io/v1/clusterexternalsecrets/shared")).json<{
          status?: { provisionedNamespaces: string[] };
        }>().status,
    );
    expect(status.provisionedNamespaces).toEqual(["other", "shop"]);
    await api.send("PATCH", "/api/v1/namespaces/other", {
      body: { metadata: { labels: { tier: null } } },
      headers: merge,
    });
    await eventually(async () =>
      (await api.send("GET", "/apis/external-secrets.io/v1/namespaces/other/externalsecrets/shared"))
        .status === 404
        ? true
        : undefined,
    );
  });
});

describe("an unreachable store (issue #21)", () => {
  const storePath = "/apis/external-secrets.io/v1/namespaces/shop/secretstores";
  type StoreStatus = { status?: { conditions?: { type: string; status: string; reason: string }[] } };
  const storeCondition = async (name: string) =>
    (await api.send("GET", `${storePath}/${name}`)).json<StoreStatus>().status?.conditions?.[0];

  it("fails validation on demand, freezes refreshTime and reports SecretSyncedError, then recovers", async () => {
    await api.send("POST", storePath, {
      body: {
        metadata: { name: "flaky" },
        spec: { provider: { fake: { data: [{ key: "/k", value: "v" }] } } },
      },
    });
    await createExternalSecret("flaky-app", {
      secretStoreRef: { name: "flaky" },
      data: [{ secretKey: "k", remoteRef: { key: "/k" } }],
    });
    const synced = await eventually(async () => {
      const object = (await api.send("GET", `${es}/flaky-app`)).json<ExternalSecretStatus>();
      return object.status?.conditions?.[0]?.reason === "SecretSynced" ? object : undefined;
    });
    const cluster = sandbox.clusters[0]!;
    expect(
      cluster.externalSecrets.setStoreReachable(
        { kind: "SecretStore", namespace: "shop", name: "flaky" },
        false,
      ),
    ).toBe(true);
    await eventually(async () => ((await storeCondition("flaky"))?.status === "False" ? true : undefined));
    expect(await storeCondition("flaky")).toMatchObject({ reason: "InvalidProviderConfig" });
    // The next refresh (forced here) fails; the last successful sync's time stays.
    await api.send("PATCH", `${es}/flaky-app`, {
      body: { metadata: { annotations: { "force-sync": "2" } } },
      headers: merge,
    });
    const failed = await eventually(async () => {
      const object = (await api.send("GET", `${es}/flaky-app`)).json<ExternalSecretStatus>();
      return object.status?.conditions?.[0]?.reason === "SecretSyncedError" ? object : undefined;
    });
    expect(failed.status?.conditions?.[0]?.message).toBe('SecretStore "flaky" is not ready');
    expect(failed.status?.refreshTime).toBe(synced.status?.refreshTime);

    // From outside, as a person would: removing the annotation makes it reachable again.
    await api.send("PATCH", `${storePath}/flaky`, {
      body: { metadata: { annotations: { "sandbox.sealdeck.io/unreachable": null } } },
      headers: merge,
    });
    await eventually(async () => ((await storeCondition("flaky"))?.status === "True" ? true : undefined));
    await eventually(async () => {
      const object = (await api.send("GET", `${es}/flaky-app`)).json<ExternalSecretStatus>();
      return object.status?.conditions?.[0]?.reason === "SecretSynced" ? object : undefined;
    });
  });
});
