import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { kubeClient } from "../testing/kube-request";

// Raw HTTP against the API server: the semantics client-go and @kubernetes/client-node rely on.
let sandbox: Sandbox;
let api: ReturnType<typeof kubeClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ noDemo: true, quiet: true, bookmarkIntervalMs: 100 });
  api = kubeClient(sandbox.kubeconfig);
  await api.send("POST", "/api/v1/namespaces", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } },
  });
});
afterAll(() => sandbox?.stop());

const secret = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, labels },
  stringData: { password: `pw-${name}` },
});

describe("authentication and errors", () => {
  it("honours Impersonate-User and Impersonate-Group for a caller allowed to impersonate", async () => {
    const asGroup = { "Impersonate-User": "someone", "Impersonate-Group": "auditors" };
    expect(
      (
        await api.send("GET", "/apis/bitnami.com/v1alpha1/namespaces/team-a/sealedsecrets", {
          headers: asGroup,
        })
      ).status,
    ).toBe(200);
    expect((await api.send("GET", "/api/v1/namespaces/team-a/secrets", { headers: asGroup })).status).toBe(
      403,
    );
    const refused = await api.send("GET", "/api/v1/namespaces", {
      token: api.tokens.developer,
      headers: { "Impersonate-User": "sandbox-admin" },
    });
    expect(refused.json()).toMatchObject({
      reason: "Forbidden",
      message: expect.stringContaining("cannot impersonate"),
    });
    const rules = await api.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
      body: { spec: { namespace: "development" } },
      token: api.tokens.developer,
    });
    expect(
      rules
        .json<{ status: { resourceRules: { resources: string[] }[] } }>()
        .status.resourceRules.flatMap((r) => r.resources),
    ).toContain("sealedsecrets");
  });

  it("answers 401 without a valid token and 403 outside the policy", async () => {
    expect((await api.send("GET", "/api/v1/namespaces", { token: null })).status).toBe(401);
    expect((await api.send("GET", "/api/v1/namespaces", { token: "not-a-real-token-at-all" })).status).toBe(
      401,
    );
    const denied = await api.send("GET", "/api/v1/namespaces/production/secrets", {
      token: api.tokens.developer,
    });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
  });

  it("uses Status bodies with the upstream codes", async () => {
    const missing = await api.send("GET", "/api/v1/namespaces/team-a/secrets/nope");
    expect(missing.json()).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "NotFound",
      code: 404,
      message: 'secrets "nope" not found',
    });
    expect(
      (await api.send("POST", "/api/v1/namespaces/team-a/secrets", { body: secret("dup") })).status,
    ).toBe(201);
    const duplicate = await api.send("POST", "/api/v1/namespaces/team-a/secrets", { body: secret("dup") });
    expect(duplicate.json()).toMatchObject({ reason: "AlreadyExists", code: 409 });
    const badName = await api.send("POST", "/api/v1/namespaces/team-a/secrets", {
      body: secret("Not_Valid"),
    });
    expect(badName.json()).toMatchObject({ reason: "Invalid", code: 422 });
    const wrongNamespace = await api.send("POST", "/api/v1/namespaces/team-a/secrets", {
      body: { ...secret("x"), metadata: { name: "x", namespace: "other" } },
    });
    expect(wrongNamespace.json()).toMatchObject({ reason: "BadRequest", code: 400 });
    const noNamespace = await api.send("POST", "/api/v1/namespaces/ghost/secrets", { body: secret("x") });
    expect(noNamespace.json()).toMatchObject({ reason: "NotFound", message: 'namespaces "ghost" not found' });
  });

  it("refuses a stale resourceVersion on update with 409 Conflict", async () => {
    const created = (
      await api.send("POST", "/api/v1/namespaces/team-a/configmaps", {
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" } },
      })
    ).json<{ metadata: { resourceVersion: string } }>();
    const first = await api.send("PUT", "/api/v1/namespaces/team-a/configmaps/cfg", {
      body: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", resourceVersion: created.metadata.resourceVersion },
        data: { a: "2" },
      },
    });
    expect(first.status).toBe(200);
    const stale = await api.send("PUT", "/api/v1/namespaces/team-a/configmaps/cfg", {
      body: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", resourceVersion: created.metadata.resourceVersion },
        data: { a: "3" },
      },
    });
    expect(stale.json()).toMatchObject({ reason: "Conflict", code: 409 });
  });
});

describe("objects", () => {
  it("assigns uid, resourceVersion and creationTimestamp, and bumps generation only on spec changes", async () => {
    const body = {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "gen" },
      spec: { encryptedData: { a: "AgA=" } },
    };
    const created = (
      await api.send("POST", "/apis/bitnami.com/v1alpha1/namespaces/team-a/sealedsecrets", { body })
    ).json<{ metadata: Record<string, unknown> }>();
    expect(created.metadata).toMatchObject({
      generation: 1,
      uid: expect.any(String),
      resourceVersion: expect.stringMatching(/^\d+$/),
      creationTimestamp: expect.any(String),
    });
    const path = "/apis/bitnami.com/v1alpha1/namespaces/team-a/sealedsecrets/gen";
    const labelled = (
      await api.send("PATCH", path, {
        body: { metadata: { labels: { a: "b" } } },
        headers: { "Content-Type": "application/merge-patch+json" },
      })
    ).json<{ metadata: { generation: number; resourceVersion: string } }>();
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    const changed = (
      await api.send("PATCH", path, {
        body: [{ op: "add", path: "/spec/encryptedData/b", value: "AgB=" }],
        headers: { "Content-Type": "application/json-patch+json" },
      })
    ).json<{ metadata: { generation: number } }>();
    expect(changed.metadata.generation).toBe(2);
    // Custom resources take no strategic merge patch, like on a real cluster.
    expect(
      (
        await api.send("PATCH", path, {
          body: {},
          headers: { "Content-Type": "application/strategic-merge-patch+json" },
        })
      ).status,
    ).toBe(415);
  });

  it("writes status only through the status subresource", async () => {
    // PushSecrets have no emulated controller, so only this test writes their status.
    const body = {
      apiVersion: "external-secrets.io/v1",
      kind: "PushSecret",
      metadata: { name: "push" },
      spec: { refreshInterval: "1h" },
    };
    expect(
      (await api.send("POST", "/apis/external-secrets.io/v1/namespaces/team-a/pushsecrets", { body })).status,
    ).toBe(201);
    const path = "/apis/external-secrets.io/v1/namespaces/team-a/pushsecrets/push";
    const ignored = (
      await api.send("PATCH", path, {
        body: { status: { conditions: [{ type: "Synced", status: "True" }] } },
        headers: { "Content-Type": "application/merge-patch+json" },
      })
    ).json<{ status?: unknown }>();
    expect(ignored.status).toBeUndefined();
    const written = (
      await api.send("PATCH", `${path}/status`, {
        body: { status: { conditions: [{ type: "Synced", status: "True" }] } },
        headers: { "Content-Type": "application/merge-patch+json" },
      })
    ).json<{ status: unknown; metadata: { generation: number } }>();
    expect(written.status).toEqual({ conditions: [{ type: "Synced", status: "True" }] });
    expect(written.metadata.generation).toBe(1);
  });

  it("serves ExternalSecrets written as v1beta1 back as v1", async () => {
    const body = {
      apiVersion: "external-secrets.io/v1beta1",
      kind: "ExternalSecret",
      metadata: { name: "old" },
      spec: { secretStoreRef: { name: "none" } },
    };
    expect(
      (
        await api.send("POST", "/apis/external-secrets.io/v1beta1/namespaces/team-a/externalsecrets", {
          body,
        })
      ).status,
    ).toBe(201);
    const read = (
      await api.send("GET", "/apis/external-secrets.io/v1/namespaces/team-a/externalsecrets/old")
    ).json();
    expect(read.apiVersion).toBe("external-secrets.io/v1");
  });
});

describe("lists", () => {
  beforeAll(async () => {
    for (const name of ["s1", "s2", "s3", "s4", "s5"])
      await api.send("POST", "/api/v1/namespaces/team-a/secrets", {
        body: secret(name, { tier: name === "s5" ? "db" : "web" }),
      });
  });

  it("pages with limit and continue, and answers 410 Expired for a continue token from compacted history", async () => {
    const first = (
      await api.send("GET", "/api/v1/namespaces/team-a/secrets?limit=2&labelSelector=tier")
    ).json<{
      items: { metadata: { name: string } }[];
      metadata: { continue: string; remainingItemCount: number };
    }>();
    expect(first.items.map((i) => i.metadata.name)).toEqual(["s1", "s2"]);
    expect(first.metadata.remainingItemCount).toBe(3);
    const second = (
      await api.send(
        "GET",
        `/api/v1/namespaces/team-a/secrets?limit=2&labelSelector=tier&continue=${first.metadata.continue}`,
      )
    ).json<{ items: { metadata: { name: string } }[] }>();
    expect(second.items.map((i) => i.metadata.name)).toEqual(["s3", "s4"]);
    sandbox.clusters[0]!.context.store.expireHistory();
    const expired = await api.send(
      "GET",
      `/api/v1/namespaces/team-a/secrets?limit=2&continue=${first.metadata.continue}`,
    );
    expect(expired.json()).toMatchObject({ kind: "Status", reason: "Expired", code: 410 });
  });

  it("filters by label and field selectors", async () => {
    const names = async (query: string) =>
      (await api.send("GET", `/api/v1/secrets?${query}`))
        .json<{ items: { metadata: { name: string } }[] }>()
        .items.map((i) => i.metadata.name);
    expect(await names("labelSelector=tier%3Ddb")).toEqual(["s5"]);
    expect(await names("labelSelector=tier%20in%20(db)%2Ctier!%3Dweb")).toEqual(["s5"]);
    expect(await names("fieldSelector=metadata.name%3Ds2")).toEqual(["s2"]);
    expect(
      await names("fieldSelector=metadata.namespace%3Dteam-a%2Cmetadata.name!%3Ds1&labelSelector=tier%3Dweb"),
    ).toEqual(["s2", "s3", "s4"]);
    expect((await api.send("GET", "/api/v1/secrets?fieldSelector=data.password%3Dx")).status).toBe(400);
  });

  it("returns metadata only for PartialObjectMetadata requests, never Secret data", async () => {
    const list = await api.send("GET", "/api/v1/namespaces/team-a/secrets", {
      headers: {
        Accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
      },
    });
    // As kube-apiserver: the body's kind, not the Content-Type, says what came back.
    expect(list.headers["content-type"]).toBe("application/json");
    expect(list.body).not.toContain('"data":');
    expect(list.body).not.toContain(Buffer.from("pw-s1").toString("base64"));
    const parsed = list.json<{ kind: string; items: { kind: string; metadata: { name: string } }[] }>();
    expect(parsed.kind).toBe("PartialObjectMetadataList");
    expect(parsed.items[0]).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    const one = await api.send("GET", "/api/v1/namespaces/team-a/secrets/s1", {
      headers: { Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    });
    expect(one.json()).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "s1" } });
    expect(one.body).not.toContain("pw-s1");
  });
});

describe("watch", () => {
  it("streams ADDED, MODIFIED, DELETED and BOOKMARK events from a resourceVersion", async () => {
    const start = (await api.send("GET", "/api/v1/namespaces/team-a/configmaps")).json<{
      metadata: { resourceVersion: string };
    }>().metadata.resourceVersion;
    const done = api.watch(
      `/api/v1/namespaces/team-a/configmaps?watch=1&resourceVersion=${start}&allowWatchBookmarks=true`,
      (events) => events.some((e) => e.type === "DELETED") && events.some((e) => e.type === "BOOKMARK"),
    );
    await api.send("POST", "/api/v1/namespaces/team-a/configmaps", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, data: { a: "1" } },
    });
    await api.send("PATCH", "/api/v1/namespaces/team-a/configmaps/w", {
      body: { data: { a: "2" } },
      headers: { "Content-Type": "application/strategic-merge-patch+json" },
    });
    await api.send("DELETE", "/api/v1/namespaces/team-a/configmaps/w");
    const events = await done;
    expect(events.filter((e) => e.type !== "BOOKMARK").map((e) => e.type)).toEqual([
      "ADDED",
      "MODIFIED",
      "DELETED",
    ]);
    const bookmark = events.find((e) => e.type === "BOOKMARK")!;
    expect(Number((bookmark.object.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(
      Number(start),
    );
  });

  it("sends a 410 ERROR event for a resourceVersion older than the kept history", async () => {
    sandbox.clusters[0]!.context.store.expireHistory();
    const events = await api.watch(
      "/api/v1/namespaces/team-a/configmaps?watch=1&resourceVersion=2",
      () => false,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", code: 410, reason: "Expired" },
    });
  });

  it("streams PartialObjectMetadata when asked, so a metadata-only cache never sees Secret data", async () => {
    const accept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    const events = await api.watch("/api/v1/namespaces/team-a/secrets?watch=1", (e) => e.length >= 5, {
      Accept: accept,
    });
    expect(events[0]?.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    expect(JSON.stringify(events)).not.toContain('"data":');
  });

  it("starts with the current objects when no resourceVersion is given and honours selectors", async () => {
    const events = await api.watch(
      "/api/v1/namespaces/team-a/secrets?watch=1&labelSelector=tier%3Ddb",
      (e) => e.length >= 1,
    );
    expect(events.map((e) => [e.type, (e.object.metadata as { name: string }).name])).toEqual([
      ["ADDED", "s5"],
    ]);
  });
});

describe("dryRun=All", () => {
  const configMap = (name: string, data: Record<string, string>) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name },
    data,
  });
  const path = "/api/v1/namespaces/team-a/configmaps";

  it("validates and answers as if written on create, update, patch and delete, and stores nothing", async () => {
    const events: string[] = [];
    const stop = sandbox.clusters[0]!.context.store.subscribe((e) => events.push(e.type));
    try {
      const created = await api.send("POST", `${path}?dryRun=All`, { body: configMap("dry", { a: "1" }) });
      expect(created.status).toBe(201);
      // As upstream: a uid and creationTimestamp, but no resourceVersion (nothing reached storage).
      const object = created.json<{ metadata: Record<string, unknown> }>();
      expect(object.metadata).toMatchObject({ name: "dry", namespace: "team-a", uid: expect.any(String) });
      expect(object.metadata.creationTimestamp).toEqual(expect.any(String));
      expect(object.metadata.resourceVersion).toBeUndefined();
      expect((await api.send("GET", `${path}/dry`)).status).toBe(404);
      // Every check still runs: a missing namespace, a bad name.
      expect(
        (
          await api.send("POST", "/api/v1/namespaces/ghost/configmaps?dryRun=All", {
            body: configMap("dry", {}),
          })
        ).json(),
      ).toMatchObject({ reason: "NotFound", message: 'namespaces "ghost" not found' });
      expect((await api.send("POST", `${path}?dryRun=All`, { body: configMap("Bad_Name", {}) })).status).toBe(
        422,
      );
      expect(events).toEqual([]);

      const stored = (await api.send("POST", path, { body: configMap("kept", { a: "1" }) })).json<{
        metadata: { resourceVersion: string };
      }>();
      events.length = 0;
      expect(
        (await api.send("POST", `${path}?dryRun=All`, { body: configMap("kept", {}) })).json(),
      ).toMatchObject({ reason: "AlreadyExists", code: 409 });
      const updated = await api.send("PUT", `${path}/kept?dryRun=All`, {
        body: { ...configMap("kept", { a: "2" }) },
      });
      expect(updated.json()).toMatchObject({
        data: { a: "2" },
        metadata: { resourceVersion: stored.metadata.resourceVersion },
      });
      const stale = await api.send("PUT", `${path}/kept?dryRun=All`, {
        body: { ...configMap("kept", { a: "3" }), metadata: { name: "kept", resourceVersion: "1" } },
      });
      expect(stale.json()).toMatchObject({ reason: "Conflict", code: 409 });
      const patched = await api.send("PATCH", `${path}/kept?dryRun=All`, {
        body: { data: { b: "2" } },
        headers: { "Content-Type": "application/merge-patch+json" },
      });
      expect(patched.json()).toMatchObject({ data: { a: "1", b: "2" } });
      expect((await api.send("DELETE", `${path}/kept?dryRun=All`)).json()).toMatchObject({
        metadata: { name: "kept" },
      });
      expect((await api.send("DELETE", `${path}?dryRun=All`)).status).toBe(200);
      expect(events).toEqual([]);
      expect((await api.send("GET", `${path}/kept`)).json()).toMatchObject({
        data: { a: "1" },
        metadata: { resourceVersion: stored.metadata.resourceVersion },
      });
    } finally {
      stop();
    }
  });

  it("refuses any dryRun value but All with 422, before anything happens", async () => {
    const refused = await api.send("POST", `${path}?dryRun=Yes`, { body: configMap("maybe", {}) });
    expect(refused.json()).toMatchObject({
      reason: "Invalid",
      code: 422,
      message: expect.stringContaining('dryRun: Unsupported value: ["Yes"]: supported values: "All"'),
    });
    expect((await api.send("GET", `${path}/maybe`)).status).toBe(404);
  });

  it("serves the kinds deploy/ uses, with discovery and OpenAPI from the same table", async () => {
    for (const [gv, plural] of [
      ["api/v1", "serviceaccounts"],
      ["apis/rbac.authorization.k8s.io/v1", "clusterroles"],
      ["apis/rbac.authorization.k8s.io/v1", "rolebindings"],
      ["apis/networking.k8s.io/v1", "networkpolicies"],
      ["apis/policy/v1", "poddisruptionbudgets"],
      ["apis/postgresql.cnpg.io/v1", "clusters"],
    ] as const) {
      const discovery = (await api.send("GET", `/${gv}`)).json<{ resources: { name: string }[] }>();
      expect(discovery.resources.map((r) => r.name)).toContain(plural);
      const openapi = (await api.send("GET", `/openapi/v3/${gv}`)).json<{ paths: Record<string, unknown> }>();
      expect(Object.keys(openapi.paths).some((p) => p.endsWith(`/${plural}/{name}`))).toBe(true);
    }
  });
});
