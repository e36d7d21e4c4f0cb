import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import { AppError } from "@/lib/errors/app-error";
import type { SealingControllerOverride } from "@/lib/settings/setting-keys";
import { sealingControllerOverrideSchema } from "@/lib/settings/setting-keys";
import { controllerLabel } from "@/lib/validations/cluster-status";
import type { Sandbox } from "@/sandbox/start-sandbox";
import { startSandbox } from "@/sandbox/start-sandbox";
import { eventually } from "@/sandbox/testing/kube-request";
import { type ForwardedController, portForwardController } from "@/sandbox/testing/port-forward-controller";
import { controllerRefOf } from "./discover-sealing-controller";
import { fetchControllerCertificate } from "./fetch-controller-certificate";
import { Inventory } from "./inventory";
import { ownAccess } from "./kube-identity";
import { observeKubeRequests } from "./kube-request";
import { loadClusterRegistry } from "./load-cluster-registry";
import { verifySealedSecret } from "./verify-sealed-secret";

vi.mock("server-only", () => ({}));

// Settings → Clusters → "This URL": a controller reached without the API server's service proxy (an
// ingress, or kubectl port-forward). The sandbox controller's endpoints, served on a local port the way
// a port-forward does, stand in for it; the API server must then see no proxy request at all.

const override = vi.hoisted(() => ({ value: { mode: "discover" } as SealingControllerOverride }));
vi.mock("@/lib/settings/read-cluster-settings", () => ({
  readSealingControllerOverride: () => Promise.resolve(override.value),
  readPinnedCertificate: () => Promise.resolve(null),
  clusterPresentation: () => ({ displayName: null, environment: null }),
}));

let sandbox: Sandbox;
let forwarded: ForwardedController;
let kc: KubeConfig;
const proxied: string[] = [];
const stopObserving = observeKubeRequests((r) => {
  if (r.path.includes("/proxy/")) proxied.push(r.path);
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, clusters: 1 });
  await sandbox.clusters[0]!.settle();
  forwarded = await portForwardController(sandbox.clusters[0]!);
  kc = loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath })[0]!.load();
}, 120_000);
afterAll(async () => {
  stopObserving();
  await forwarded?.close();
  await sandbox?.stop();
});

describe("a sealing controller reached by URL", () => {
  it("is used for the certificate and for /v1/verify, with no request through the service proxy", async () => {
    override.value = { mode: "url", url: forwarded.url, namespace: "kube-system" };
    const inventory = new Inventory(loadClusterRegistry({ KUBECONFIG: sandbox.kubeconfigPath }));
    inventory.start();
    try {
      await inventory.ready(60_000);
      const controller = await eventually(() => inventory.clusterStatuses()[0]?.controller ?? undefined, 200);
      expect(controller).toMatchObject({ url: forwarded.url, namespace: "kube-system", error: null });
      expect(controllerLabel(controller)).toBe(forwarded.url);
      // The keys are still listed (metadata only) from the namespace the setting names.
      expect(controller.keys.length).toBeGreaterThan(0);

      // The same certificate the proxy path serves: the setting changes the route, not the key.
      override.value = { mode: "discover" };
      const viaProxy = await fetchControllerCertificate(ownAccess(kc), "sandbox", {
        namespace: "kube-system",
        service: "sealed-secrets-controller",
        port: "http",
      });
      expect(controller.certificate?.fingerprintSha256).toBe(viaProxy.info.fingerprintSha256);
      proxied.length = 0;

      const ref = controllerRefOf(controller);
      const verdict = await verifySealedSecret(ownAccess(kc), "sandbox", ref, {
        namespace: "production",
        name: "database-credentials",
      });
      expect(verdict.valid).toBe(true);
      const broken = await verifySealedSecret(ownAccess(kc), "sandbox", ref, {
        namespace: "production",
        name: "legacy-payment-gateway",
      });
      expect(broken.valid).toBe(false);
      expect(forwarded.requests).toEqual(
        expect.arrayContaining(["GET /v1/cert.pem", "POST /v1/verify"]) as unknown,
      );
      expect(proxied).toEqual([]);
    } finally {
      inventory.stop();
    }
  });

  it("says which URL could not be reached, and refuses a redirect elsewhere", async () => {
    const closed = await portForwardController(sandbox.clusters[0]!);
    await closed.close();
    const ref = { namespace: "kube-system", service: "", port: "", url: closed.url };
    const unreachable = (await fetchControllerCertificate(ownAccess(kc), "sandbox", ref).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(unreachable).toBeInstanceOf(AppError);
    expect(unreachable.code).toBe("unavailable");
    expect(unreachable.message).toContain(closed.url);
    expect(unreachable.message).toContain("ECONNREFUSED");

    const redirecting = await portForwardController(sandbox.clusters[0]!, { redirectTo: forwarded.url });
    try {
      const before = forwarded.requests.length;
      const error = (await fetchControllerCertificate(ownAccess(kc), "sandbox", {
        ...ref,
        url: redirecting.url,
      }).catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe("unavailable");
      expect(forwarded.requests.length).toBe(before);
    } finally {
      await redirecting.close();
    }
  });
});

describe("the controller URL setting", () => {
  const parse = (url: string) =>
    sealingControllerOverrideSchema.safeParse({ mode: "url", url, namespace: "kube-system" });
  const messageOf = (url: string) => {
    const result = parse(url);
    return result.success ? null : result.error.issues[0]?.message;
  };

  it("takes https anywhere and plain http only to this machine", () => {
    expect(parse("https://sealed-secrets.example.com").success).toBe(true);
    expect(parse("https://sealed-secrets.example.com/prefix/").success).toBe(true);
    expect(parse("http://127.0.0.1:8080").success).toBe(true);
    expect(parse("http://localhost:8080").success).toBe(true);
    expect(parse("http://[::1]:8080").success).toBe(true);
    expect(messageOf("http://sealed-secrets.example.com")).toContain("must use https");
    expect(messageOf("ftp://example.com")).toContain("must use https");
    expect(messageOf("sealed-secrets:8080")).toContain("must use https");
    expect(messageOf("not a url")).toContain("must be a URL");
  });

  it("refuses credentials, queries and fragments without echoing them", () => {
    const withPassword = "https://admin:hunter2@sealed-secrets.example.com";
    expect(messageOf(withPassword)).toContain("must not contain a user name or password");
    expect(JSON.stringify(parse(withPassword).error?.issues)).not.toContain("hunter2");
    expect(messageOf("https://sealed-secrets.example.com/?token=x")).toContain("must not have a query");
    expect(messageOf("https://sealed-secrets.example.com/#x")).toContain("must not have a query");
    expect(
      sealingControllerOverrideSchema.safeParse({
        mode: "url",
        url: "https://x.example",
        namespace: "Bad_NS",
      }).success,
    ).toBe(false);
  });
});
