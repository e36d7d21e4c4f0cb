import { beforeEach, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { queryK8sAccessEvents } from "../query-k8s-access-events";
import { k8sAccessQuerySchema } from "./k8s-access-query";
import { receiveK8sAuditBatch } from "./receive-k8s-audit-batch";

// The audit webhook end to end against a real database: a batch of thousands of mixed events, retries,
// credentials, size and shape errors, and the history query over what was stored.

const TOKEN = "k8s-audit-test-token-0123456789abcdef";
const { prisma } = setupMigratedDatabase();

beforeEach(async () => {
  await prisma.$executeRawUnsafe("TRUNCATE k8s_access_events");
});

type Ref = { resource: string; apiGroup?: string; namespace?: string; name?: string; apiVersion?: string };

// The resources an API server audits all day; only the first four are kept.
const refs: Ref[] = [
  { resource: "secrets", apiVersion: "v1" },
  { resource: "sealedsecrets", apiGroup: "bitnami.com", apiVersion: "v1alpha1" },
  { resource: "externalsecrets", apiGroup: "external-secrets.io", apiVersion: "v1" },
  { resource: "clusterexternalsecrets", apiGroup: "external-secrets.io", apiVersion: "v1" },
  { resource: "pods", apiVersion: "v1" },
  { resource: "configmaps", apiVersion: "v1" },
  { resource: "leases", apiGroup: "coordination.k8s.io", apiVersion: "v1" },
  { resource: "deployments", apiGroup: "apps", apiVersion: "v1" },
  // Same plural, other group: not a Kubernetes Secret.
  { resource: "secrets", apiGroup: "example.com", apiVersion: "v1" },
];
const stages = ["RequestReceived", "ResponseStarted", "ResponseComplete"];

function auditEvent(i: number, overrides: Record<string, unknown> = {}) {
  const ref = refs[i % refs.length]!;
  const namespaced = ref.resource !== "clusterexternalsecrets";
  return {
    level: "RequestResponse",
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    stage: stages[Math.floor(i / refs.length) % stages.length],
    requestURI: `/api/v1/namespaces/ns-${i % 7}/${ref.resource}/obj-${i}`,
    verb: ["get", "list", "watch", "update", "patch", "delete"][i % 6],
    user: { username: `user-${i % 5}`, uid: "u", groups: ["system:authenticated", `team-${i % 3}`] },
    ...(i % 11 === 0 ? { impersonatedUser: { username: "alice@example.com", groups: ["devs"] } } : {}),
    sourceIPs: [`10.0.${i % 250}.1`, "192.168.0.1"],
    userAgent: "kubectl/v1.32.0 (linux/amd64) kubernetes/abc",
    objectRef: {
      ...ref,
      ...(namespaced ? { namespace: `ns-${i % 7}` } : {}),
      name: `obj-${i}`,
    },
    responseStatus: { metadata: {}, code: i % 13 === 0 ? 403 : 200 },
    // At RequestResponse level the API server sends the objects themselves: never stored.
    requestObject: { kind: "Secret", data: { password: "cmVxdWVzdC1zZWNyZXQ=" } },
    responseObject: { kind: "Secret", data: { password: "cmVzcG9uc2Utc2VjcmV0" } },
    requestReceivedTimestamp: "2026-11-23T15:00:00.123456Z",
    stageTimestamp: `2026-11-23T15:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.654321Z`,
    annotations: { "authorization.k8s.io/decision": "allow" },
    ...overrides,
  };
}

const eventList = (items: unknown[]) => ({
  kind: "EventList",
  apiVersion: "audit.k8s.io/v1",
  metadata: {},
  items,
});

function post(
  body: string,
  {
    token = TOKEN as string | null,
    cluster = "prod" as string | null,
    headers = {} as Record<string, string>,
  } = {},
) {
  const url = `https://sealdeck.test/api/k8s-audit${cluster === null ? "" : `?cluster=${encodeURIComponent(cluster)}`}`;
  return new Request(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
  });
}

const receive = (
  request: Request,
  options: {
    token?: string | undefined;
    clusterTokens?: Record<string, string>;
    maxBytes?: number;
  } = {},
) =>
  receiveK8sAuditBatch(request, {
    token: "token" in options ? options.token : TOKEN,
    clusterTokens: options.clusterTokens,
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    db: () => prisma,
  });

function isKept(event: ReturnType<typeof auditEvent>) {
  const ref = event.objectRef as Ref;
  const group = ref.apiGroup ?? "";
  const watched =
    (group === "" && ref.resource === "secrets") ||
    (group === "bitnami.com" && ref.resource === "sealedsecrets") ||
    (group === "external-secrets.io" && ["externalsecrets", "clusterexternalsecrets"].includes(ref.resource));
  return watched && event.stage === "ResponseComplete";
}

describe("POST /api/k8s-audit", () => {
  it("keeps only the completed secret-related events of a batch of thousands, in one statement", async () => {
    const items = Array.from({ length: 6000 }, (_, i) => auditEvent(i));
    const expected = items.filter(isKept);
    expect(expected.length).toBeGreaterThan(500);
    let statements = 0;
    const response = await receiveK8sAuditBatch(post(JSON.stringify(eventList(items))), {
      token: TOKEN,
      maxBytes: 10 * 1024 * 1024,
      db: () => ({
        $executeRawUnsafe: (query: string, ...values: unknown[]) => {
          statements += 1;
          return prisma.$executeRawUnsafe(query, ...values);
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(statements).toBe(1);
    expect(await response.json()).toEqual({
      received: 6000,
      kept: expected.length,
      stored: expected.length,
      duplicates: 0,
      invalid: 0,
    });
    const rows = await prisma.k8sAccessEvent.findMany({ orderBy: { auditId: "asc" } });
    expect(rows.map((r) => r.auditId)).toEqual(expected.map((e) => e.auditID).sort());
    expect(new Set(rows.map((r) => `${r.apiGroup}/${r.resource}`))).toEqual(
      new Set([
        "/secrets",
        "bitnami.com/sealedsecrets",
        "external-secrets.io/externalsecrets",
        "external-secrets.io/clusterexternalsecrets",
      ]),
    );
    const sample = expected[0]!;
    const row = rows.find((r) => r.auditId === sample.auditID)!;
    expect(row).toMatchObject({
      cluster: "prod",
      stage: "ResponseComplete",
      username: sample.user.username,
      groups: sample.user.groups,
      verb: sample.verb,
      namespace: sample.objectRef.namespace ?? null,
      name: sample.objectRef.name,
      sourceIps: sample.sourceIPs,
      userAgent: sample.userAgent,
      responseCode: sample.responseStatus.code,
    });
    expect(rows.some((r) => r.impersonatedUser === "alice@example.com")).toBe(true);
    expect(rows.some((r) => r.responseCode === 403)).toBe(true);
    // Nothing of the request or response objects reached the database.
    const dump = JSON.stringify(
      await prisma.$queryRawUnsafe("SELECT row_to_json(e)::text AS j FROM k8s_access_events e"),
    );
    expect(dump).not.toContain("cmVxdWVzdC1zZWNyZXQ=");
    expect(dump).not.toContain("cmVzcG9uc2Utc2VjcmV0");
  });

  it("a retried batch stores nothing twice", async () => {
    const body = JSON.stringify(eventList(Array.from({ length: 900 }, (_, i) => auditEvent(i))));
    const first = (await (await receive(post(body))).json()) as { stored: number; kept: number };
    expect(first.stored).toBe(first.kept);
    const again = await receive(post(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ kept: first.kept, stored: 0, duplicates: first.kept });
    expect(await prisma.k8sAccessEvent.count()).toBe(first.kept);
    // The same auditID from another cluster is another event.
    await receive(post(body, { cluster: "staging" }));
    expect(await prisma.k8sAccessEvent.count()).toBe(first.kept * 2);
  });

  it("refuses a missing or wrong token with 401, and says when the webhook is not enabled", async () => {
    const body = JSON.stringify(eventList([auditEvent(0, { stage: "ResponseComplete" })]));
    const missing = await receive(post(body, { token: null }));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await receive(post(body, { token: `${TOKEN}x` }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "invalid bearer token" });
    const basic = await receive(post(body, { token: null, headers: { authorization: `Basic ${TOKEN}` } }));
    expect(basic.status).toBe(401);
    const disabled = await receive(post(body), { token: undefined });
    expect(disabled.status).toBe(503);
    expect(((await disabled.json()) as { error: string }).error).toContain("not enabled");
    expect(await prisma.k8sAccessEvent.count()).toBe(0);
  });

  it("accepts a cluster's own token only for that cluster, and the shared token for any", async () => {
    const PROD = "prod-audit-token-0123456789abcdef0123";
    const STAGING = "staging-audit-token-0123456789abcdef01";
    const clusterTokens = { prod: PROD, staging: STAGING };
    const perCluster = { token: undefined, clusterTokens };
    const body = JSON.stringify(eventList([auditEvent(0, { stage: "ResponseComplete" })]));
    const clustersStored = async () =>
      (await prisma.k8sAccessEvent.findMany({ select: { cluster: true }, orderBy: { cluster: "asc" } })).map(
        (row) => row.cluster,
      );

    expect((await receive(post(body, { token: PROD, cluster: "prod" }), perCluster)).status).toBe(200);
    // prod's token cannot speak for staging, nor for a cluster with no token of its own.
    for (const cluster of ["staging", "dev", "constructor"]) {
      const response = await receive(post(body, { token: PROD, cluster }), perCluster);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "invalid bearer token" });
    }
    // Its own token without ?cluster= is named as a missing cluster; a stranger's is just refused.
    expect((await receive(post(body, { token: PROD, cluster: null }), perCluster)).status).toBe(400);
    expect((await receive(post(body, { token: TOKEN, cluster: null }), perCluster)).status).toBe(401);
    expect((await receive(post(body, { token: STAGING, cluster: "staging" }), perCluster)).status).toBe(200);
    expect(await clustersStored()).toEqual(["prod", "staging"]);

    // The single shared token still works, for any cluster name, beside the per-cluster ones.
    const both = { token: TOKEN, clusterTokens };
    expect((await receive(post(body, { token: TOKEN, cluster: "dev" }), both)).status).toBe(200);
    expect((await receive(post(body, { token: TOKEN, cluster: "prod" }), both)).status).toBe(200);
    expect((await receive(post(body, { token: STAGING, cluster: "prod" }), both)).status).toBe(401);
    expect(await clustersStored()).toEqual(["dev", "prod", "staging"]);

    const disabled = await receive(post(body), { token: undefined, clusterTokens: {} });
    expect(disabled.status).toBe(503);
  });

  it("refuses an oversize body with 413, by its length or while reading it", async () => {
    const big = JSON.stringify(eventList(Array.from({ length: 400 }, (_, i) => auditEvent(i))));
    const declared = await receive(post(big), { maxBytes: 4096 });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: string }).error).toContain("4096 bytes");
    // A chunked body has no Content-Length: it is cut off once it passes the limit.
    const chunks = [big.slice(0, 3000), big.slice(3000, 6000), big.slice(6000)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const chunked = new Request("https://sealdeck.test/api/k8s-audit?cluster=prod", {
      method: "POST",
      body: stream,
      headers: { authorization: `Bearer ${TOKEN}` },
      duplex: "half",
    } as RequestInit);
    expect((await receive(chunked, { maxBytes: 4096 })).status).toBe(413);
    expect(await prisma.k8sAccessEvent.count()).toBe(0);
  });

  it("refuses a malformed body with 400 and a message that says what is wrong", async () => {
    const notJson = await receive(post('{"kind":"EventList","items":[{"auditID":'));
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON.*EventList/);
    const noItems = await receive(post(JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1" })));
    expect(noItems.status).toBe(400);
    expect(((await noItems.json()) as { error: string }).error).toContain("items");
    const otherKind = await receive(post(JSON.stringify({ kind: "PodList", items: [] })));
    expect(((await otherKind.json()) as { error: string }).error).toContain("kind: must be EventList");
    const oldVersion = await receive(post(JSON.stringify({ apiVersion: "audit.k8s.io/v1beta1", items: [] })));
    expect(oldVersion.status).toBe(400);
    expect(((await oldVersion.json()) as { error: string }).error).toContain("audit.k8s.io/v1");
    const noCluster = await receive(post(JSON.stringify(eventList([])), { cluster: null }));
    expect(noCluster.status).toBe(400);
    expect(((await noCluster.json()) as { error: string }).error).toContain("?cluster=");
    expect((await receive(post(JSON.stringify(eventList([])), { cluster: "prod;drop" }))).status).toBe(400);
  });

  it("skips a broken event but keeps the rest of its batch, and names the problem", async () => {
    const good = auditEvent(0, { stage: "ResponseComplete" });
    const broken = auditEvent(9, { stage: "ResponseComplete", auditID: "" });
    const response = await receive(post(JSON.stringify(eventList([good, broken]))));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      kept: 1,
      stored: 1,
      invalid: 1,
      firstProblem: expect.stringMatching(/^items\.1\.auditID: /),
    });
  });

  it("stores what Postgres could choke on without failing the batch: NULs, lone surrogates, odd times and codes", async () => {
    const items = [
      auditEvent(0, {
        stage: "ResponseComplete",
        userAgent: "evil\u0000agent\ud800",
        user: { username: "a\u0000b" },
      }),
      auditEvent(9, {
        stage: "ResponseComplete",
        stageTimestamp: "2026-02-30T00:00:00Z",
        requestReceivedTimestamp: "2026-11-23T15:00:00.5+02:00",
      }),
      auditEvent(18, {
        stage: "ResponseComplete",
        stageTimestamp: "2026-11-23T25:00:00Z",
        requestReceivedTimestamp: "soon",
      }),
      auditEvent(27, { stage: "ResponseComplete", responseStatus: { code: 1e12 } }),
      auditEvent(36, {
        stage: "ResponseComplete",
        stageTimestamp: "2026-11-23T10:00:00+99:00",
        sourceIPs: Array.from({ length: 80 }, (_, i) => `10.1.0.${i}`),
      }),
    ];
    const startedAt = Date.now();
    const response = await receive(post(JSON.stringify(eventList(items))));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kept: 5, stored: 5, invalid: 0 });
    const rows = await prisma.k8sAccessEvent.findMany({ orderBy: { auditId: "asc" } });
    expect(rows[0]).toMatchObject({ userAgent: "evilagent\uFFFD", username: "ab" });
    expect(rows[1]!.time.toISOString()).toBe("2026-11-23T13:00:00.500Z");
    // No usable time at all: the time it was received (by this process's clock).
    expect(rows[2]!.time.getTime()).toBeGreaterThanOrEqual(startedAt);
    expect(rows[2]!.time.getTime()).toBeLessThanOrEqual(Date.now());
    expect(rows[3]!.responseCode).toBeNull();
    expect(rows[4]!.sourceIps).toHaveLength(50);
  });

  it("the history query filters, pages by cursor and lists the newest first", async () => {
    const items = Array.from({ length: 270 }, (_, i) => auditEvent(i, { stage: "ResponseComplete" }));
    await receive(post(JSON.stringify(eventList(items))));
    const kept = items.filter(isKept);
    const all = await queryK8sAccessEvents(prisma, k8sAccessQuerySchema.parse({ limit: "500" }));
    expect(all.events).toHaveLength(kept.length);
    expect(all.nextCursor).toBeNull();
    const ids = all.events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    expect(all.events[0]!.time).toMatch(/^2026-11-23T15:\d\d:\d\d\.654321Z$/);

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryK8sAccessEvents(prisma, k8sAccessQuerySchema.parse({ limit: "7", cursor }));
      pages.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(all.events.map((e) => e.id));

    const secretsInNs3 = await queryK8sAccessEvents(
      prisma,
      k8sAccessQuerySchema.parse({ cluster: "prod", namespace: "ns-3", resource: "secrets" }),
    );
    expect(secretsInNs3.events.length).toBeGreaterThan(0);
    expect(secretsInNs3.events.every((e) => e.namespace === "ns-3" && e.resource === "secrets")).toBe(true);
    const alice = await queryK8sAccessEvents(prisma, k8sAccessQuerySchema.parse({ user: "ALICE" }));
    expect(alice.events.length).toBeGreaterThan(0);
    expect(alice.events.every((e) => e.impersonatedUser === "alice@example.com")).toBe(true);
    const one = kept[5]!;
    const byName = await queryK8sAccessEvents(
      prisma,
      k8sAccessQuerySchema.parse({ name: one.objectRef.name }),
    );
    expect(byName.events.map((e) => e.auditId)).toEqual([one.auditID]);
    const window = await queryK8sAccessEvents(
      prisma,
      k8sAccessQuerySchema.parse({ from: "2026-11-23T15:01:00Z", to: "2026-11-23T15:02:00Z", limit: "500" }),
    );
    expect(window.events.length).toBeGreaterThan(0);
    expect(window.events.every((e) => e.time.startsWith("2026-11-23T15:01:"))).toBe(true);
    expect(k8sAccessQuerySchema.safeParse({ from: "yesterday" }).success).toBe(false);
    expect(k8sAccessQuerySchema.safeParse({ cursor: "1; DROP" }).success).toBe(false);
  });
});
