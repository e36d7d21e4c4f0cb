import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Sandbox } from "../start-sandbox";
import { startSandbox } from "../start-sandbox";
import { eventually, kubeClient } from "../testing/kube-request";
import { kubectlOk, runKubectl } from "../testing/run-kubectl";

// What a real kube-apiserver does and the sandbox must do too, so the project's own tests meet it:
// bookmarks under the watch cache's rules, a starting authorizer's 403s, plain application/json for
// PartialObjectMetadata, managedFields and kubectl's last-applied-configuration in metadata answers.
let sandbox: Sandbox;
let api: ReturnType<typeof kubeClient>;

// A made-up value: only its absence or presence is checked, it protects nothing.
const FAKE_VALUE = "fake-test-value-0123456789";
const appliedSecret = (name: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: team-b
stringData:
  password: ${FAKE_VALUE}
`;

type WatchLine = { type: string; object: { kind?: string; metadata?: { resourceVersion?: string } } };
const linesOf = (body: string) =>
  body
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as WatchLine);

beforeAll(async () => {
  // A short bookmark period: if the rules allowed a bookmark, it would come within the watches below.
  sandbox = await startSandbox({ noDemo: true, quiet: true, bookmarkIntervalMs: 100 });
  api = kubeClient(sandbox.kubeconfig);
  await api.send("POST", "/api/v1/namespaces", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-b" } },
  });
});
afterAll(() => sandbox?.stop());

describe("watch bookmarks follow the real watch cache", () => {
  it("sends none on a watch of a kind that has had no event since the server started", async () => {
    // The server ends the watch after timeoutSeconds; the whole stream is then known.
    const answer = await api.send(
      "GET",
      "/apis/external-secrets.io/v1/externalsecrets?watch=true&allowWatchBookmarks=true&timeoutSeconds=2",
    );
    expect(answer.status).toBe(200);
    expect(linesOf(answer.body).filter((e) => e.type === "BOOKMARK")).toEqual([]);
  });

  it("carries the resourceVersion of the kind's last event, not the cluster's", async () => {
    const list = await api.send("GET", "/api/v1/namespaces/team-b/configmaps");
    const from = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const watching = api.send(
      "GET",
      `/api/v1/namespaces/team-b/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${from}`,
    );
    const created = await api.send("POST", "/api/v1/namespaces/team-b/configmaps", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } },
    });
    const configMapRv = created.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    // Another kind moves the cluster's resourceVersion on; a configmap bookmark must not claim it.
    await api.send("POST", "/api/v1/namespaces/team-b/secrets", {
      body: { apiVersion: "v1", kind: "Secret", metadata: { name: "other-kind" } },
    });
    const events = linesOf((await watching).body);
    expect(events.map((e) => e.type)).toContain("ADDED");
    const bookmarks = events.filter((e) => e.type === "BOOKMARK");
    expect(bookmarks.length).toBeGreaterThan(0);
    for (const bookmark of bookmarks) {
      expect(bookmark.object.kind).toBe("ConfigMap");
      expect(bookmark.object.metadata?.resourceVersion).toBe(configMapRv);
    }
  });

  it("sends none without allowWatchBookmarks", async () => {
    await api.send("POST", "/api/v1/namespaces/team-b/configmaps", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "more" } },
    });
    const answer = await api.send("GET", "/api/v1/namespaces/team-b/configmaps?watch=true&timeoutSeconds=2");
    expect(linesOf(answer.body).filter((e) => e.type === "BOOKMARK")).toEqual([]);
  });
});

describe("metadata answers", () => {
  it("answers PartialObjectMetadata(List) with Content-Type application/json, as kube-apiserver", async () => {
    const accept = { Accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" };
    const list = await api.send("GET", "/api/v1/namespaces/team-b/secrets", { headers: accept });
    expect(list.headers["content-type"]).toBe("application/json");
    expect(list.json()).toMatchObject({ kind: "PartialObjectMetadataList" });
    const one = await api.send("GET", "/api/v1/namespaces/team-b/secrets/other-kind", {
      headers: { Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    });
    expect(one.headers["content-type"]).toBe("application/json");
    expect(one.json()).toMatchObject({ kind: "PartialObjectMetadata" });
    const watch = await api.send("GET", "/api/v1/namespaces/team-b/secrets?watch=true&timeoutSeconds=1", {
      headers: { Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    });
    expect(watch.headers["content-type"]).toBe("application/json");
  });

  it("includes managedFields and kubectl's last-applied-configuration, and kubectl still works", async () => {
    await kubectlOk(sandbox.kubeconfigPath, ["apply", "-f", "-"], appliedSecret("applied"));
    const answer = await api.send("GET", "/api/v1/namespaces/team-b/secrets/applied", {
      headers: { Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    });
    const metadata = answer.json<{
      metadata: { annotations?: Record<string, string>; managedFields?: { manager: string }[] };
    }>().metadata;
    expect(metadata.managedFields?.map((m) => m.manager)).toContain("kubectl-client-side-apply");
    // The very thing Sealdeck must drop at its border: the Secret's data, inside an annotation.
    expect(metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toContain(FAKE_VALUE);
    // Applying again is a three-way merge against that annotation; kubectl hides managedFields itself.
    await kubectlOk(sandbox.kubeconfigPath, ["apply", "-f", "-"], appliedSecret("applied"));
    const yaml = await kubectlOk(sandbox.kubeconfigPath, [
      "get",
      "secret",
      "applied",
      "-n",
      "team-b",
      "-o",
      "yaml",
    ]);
    expect(yaml).not.toContain("managedFields");
    const shown = await kubectlOk(sandbox.kubeconfigPath, [
      "get",
      "secret",
      "applied",
      "-n",
      "team-b",
      "-o",
      "yaml",
      "--show-managed-fields",
    ]);
    expect(shown).toContain("manager: kubectl-client-side-apply");
  });
});

describe("a starting authorizer", () => {
  it("refuses everyone but system:masters with 403 until it is ready", async () => {
    const dashboard = kubeClient(sandbox.kubeconfig, { user: "sealdeck-dashboard" });
    const path = "/apis/bitnami.com/v1alpha1/sealedsecrets";
    expect((await dashboard.send("GET", path)).status).toBe(200);
    sandbox.clusters[0]!.setAuthorizer("starting");
    try {
      const refused = await dashboard.send("GET", path);
      expect(refused.status).toBe(403);
      expect(refused.json()).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
      // A review is refused too: it cannot tell a starting authorizer from a missing grant.
      const review = await dashboard.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
        body: {
          spec: { resourceAttributes: { verb: "list", group: "bitnami.com", resource: "sealedsecrets" } },
        },
      });
      expect(review.status).toBe(403);
      const kubectl = await runKubectl(sandbox.kubeconfigPath, [
        "get",
        "sealedsecrets",
        "-A",
        "--user",
        "sealdeck-dashboard",
      ]);
      expect(kubectl.code).not.toBe(0);
      expect(kubectl.stderr).toContain("forbidden");
      // The privileged group is authorized ahead of RBAC.
      await kubectlOk(sandbox.kubeconfigPath, ["get", "sealedsecrets", "-A"]);
    } finally {
      sandbox.clusters[0]!.setAuthorizer("ready");
    }
    expect((await dashboard.send("GET", path)).status).toBe(200);
  });
});

describe("graceful termination", () => {
  it("refuses new connections at once but keeps open watches for the grace period, then ends them", async () => {
    const own = await startSandbox({ noDemo: true, quiet: true });
    const doc = parse(own.kubeconfig) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { token: string } }[];
    };
    const server = new URL(doc.clusters[0]!.cluster.server);
    const ca = Buffer.from(doc.clusters[0]!.cluster["certificate-authority-data"], "base64");
    const token = doc.users[0]!.user.token;
    let ended = false;
    await new Promise<void>((opened, failed) => {
      const req = request(
        {
          host: server.hostname,
          port: server.port,
          path: "/api/v1/namespaces?watch=true",
          ca,
          headers: { Authorization: `Bearer ${token}` },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => (ended = true));
          res.on("close", () => (ended = true));
          opened();
        },
      );
      req.on("error", () => (ended = true));
      req.on("error", failed);
      req.end();
    });
    // Ample for the probe below (milliseconds), short enough to wait for.
    const stopping = own.stop({ watchGraceMs: 3_000 });
    // A new connection is refused while the old watch is still being served.
    const refused = await eventually(async () => {
      const code = await new Promise<string>((done) => {
        const probe = request({ host: server.hostname, port: server.port, path: "/readyz", ca }, (res) => {
          res.resume();
          done(`HTTP ${res.statusCode ?? 0}`);
        });
        probe.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? "error"));
        probe.end();
      });
      return code === "ECONNREFUSED" ? code : undefined;
    });
    expect(refused).toBe("ECONNREFUSED");
    expect(ended).toBe(false);
    await stopping;
    await eventually(() => (ended ? true : undefined));
  }, 120_000);
});
