import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { encode } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createMigratedDatabase, type TestDatabase } from "@/lib/testing/test-database";
import type { ActionResult } from "./authorized-action";
import {
  actionPermissions,
  pagePermissions,
  routeHandlerPermissions,
  type HttpMethod,
  type PagePath,
} from "./route-permissions";

// The authorization matrix, generated from the app's own registry (route-permissions.ts): every page,
// route handler and server action × every kind of user, exercised for real: a session is created in the
// database, its cookie is encoded as next-auth does, and the page guard, the route handlers and the
// actions read it through the same code as in production. A page.tsx, route.ts or "use server" file
// that is missing from the registry, or an entry without an expectation here, fails the test.

const state = vi.hoisted(() => ({
  cookie: undefined as string | undefined,
  origin: "http://sealdeck.test" as string | null,
}));
vi.mock("next/headers", () => fakeHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
// next-auth loads next/headers with require(), which vi.mock does not reach: seed Node's module cache.
const nodeRequire = createRequire(import.meta.url);
const fakeHeaders = {
  cookies: async () => ({
    get: (name: string) =>
      name === "next-auth.session-token" && state.cookie ? { name, value: state.cookie } : undefined,
    getAll: () => (state.cookie ? [{ name: "next-auth.session-token", value: state.cookie }] : []),
  }),
  headers: async () =>
    new Headers({ host: "sealdeck.test", ...(state.origin ? { origin: state.origin } : {}) }),
};
const headersPath = nodeRequire.resolve("next/headers");
nodeRequire.cache[headersPath] = {
  id: headersPath,
  filename: headersPath,
  loaded: true,
  exports: fakeHeaders,
} as NodeJS.Module;
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  connection: async () => undefined,
}));
vi.mock("./record-auth-event", () => ({ recordAuthEvent: async () => undefined }));

const root = join(import.meta.dirname, "..", "..");
const secret = "matrix-test-secret-0123456789abcdef0123456789";

const kinds = [
  "anonymous",
  "developer-with-namespace",
  "developer-without-namespace",
  "security-lead",
  "auditor",
  "admin",
] as const;
type Kind = (typeof kinds)[number];
type Outcome = 200 | 401 | 403 | 404 | "sign-in";
type Row = Record<Kind, Outcome>;

const row = (
  anonymous: Outcome,
  devWith: Outcome,
  devWithout: Outcome,
  lead: Outcome,
  auditor: Outcome,
  admin: Outcome,
): Row => ({
  anonymous,
  "developer-with-namespace": devWith,
  "developer-without-namespace": devWithout,
  "security-lead": lead,
  auditor,
  admin,
});

// The namespace the developer "with" holds and the developer "without" does not.
const target = "?cluster=sandbox&namespace=production";

// Expected results, written out by hand: the specification the registry and permission table must meet.
const expectedPages: Record<string, Row> = {
  "/": row("sign-in", 200, 200, 200, 200, 200),
  "/secrets": row("sign-in", 200, 200, 200, 200, 403),
  [`/secrets${target}`]: row("sign-in", 200, 403, 200, 200, 403),
  "/secrets/[cluster]/[namespace]/[kind]/[name]": row("sign-in", 200, 403, 200, 200, 403),
  "/seal": row("sign-in", 200, 200, 200, 403, 403),
  [`/seal${target}`]: row("sign-in", 200, 403, 200, 403, 403),
  "/rotations": row("sign-in", 200, 200, 200, 200, 200),
  [`/rotations${target}`]: row("sign-in", 200, 403, 200, 200, 200),
  "/changes": row("sign-in", 200, 200, 200, 200, 403),
  "/recovery": row("sign-in", 200, 200, 200, 200, 403),
  "/audit": row("sign-in", 403, 403, 200, 200, 403),
  "/settings": row("sign-in", 403, 403, 200, 200, 200),
  "/change-password": row("sign-in", 200, 200, 200, 200, 200),
  "/sign-in": row(200, 200, 200, 200, 200, 200),
};

const expectedRoutes: Record<string, Row> = {
  "GET /api/healthz": row(200, 200, 200, 200, 200, 200),
  "GET /api/readyz": row(200, 200, 200, 200, 200, 200),
  "GET /api/secrets": row(401, 200, 200, 200, 200, 403),
  "GET /api/secrets/events": row(401, 200, 200, 200, 200, 403),
  "GET /api/secrets/[cluster]/[namespace]/[kind]/[name]": row(401, 200, 403, 200, 200, 403),
  "GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/events": row(401, 200, 403, 200, 200, 403),
  "GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/history": row(401, 200, 403, 200, 200, 403),
  "GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/fixes": row(401, 200, 403, 200, 200, 403),
  "GET /api/audit/events": row(401, 403, 403, 200, 200, 403),
  "GET /api/audit/chain": row(401, 403, 403, 200, 200, 403),
  "GET /api/audit/export": row(401, 403, 403, 403, 200, 403),
  "GET /api/audit/bundle": row(401, 403, 403, 403, 200, 403),
  "GET /api/audit/export/[id]/manifest": row(401, 403, 403, 403, 200, 403),
  "GET /api/clusters/[cluster]/certificate": row(401, 200, 200, 200, 403, 403),
  "GET /api/clusters/[cluster]/reencryption": row(401, 200, 200, 200, 403, 403),
  // Rotation schedules: every role reads them; developers get their namespaces' rows only.
  "GET /api/recovery/stores": row(401, 200, 200, 200, 200, 403),
  "GET /api/rotations": row(401, 200, 200, 200, 200, 200),
  "GET /api/rotations/summary": row(401, 200, 200, 200, 200, 200),
  "GET /api/rotations/policies": row(401, 200, 200, 200, 200, 200),
  "GET /api/rotations/report": row(401, 200, 200, 200, 200, 200),
  "GET /api/rotations/report/[id]/manifest": row(401, 200, 200, 200, 200, 200),
  "GET /api/proposals": row(401, 200, 200, 200, 200, 403),
  // Recovery incidents: whoever reads the inventory; developers see their namespaces' secrets only.
  "GET /api/recovery": row(401, 200, 200, 200, 200, 403),
  // The campaign lists only the secrets the viewer may see (404 when none).
  "GET /api/recovery/campaigns/[id]/export": row(401, 200, 200, 200, 200, 403),
  // Unsigned: refused whoever is signed in (the signature is the authentication).
  "POST /api/webhooks/[provider]": row(401, 401, 401, 401, 401, 401),
  "GET /api/auth/[...nextauth]": row(200, 200, 200, 200, 200, 200),
  "POST /api/auth/[...nextauth]": row(200, 200, 200, 200, 200, 200),
  // RP-initiated logout after sign-out: public, it only redirects (to the provider or to sign-in).
  "GET /api/sso/logout": row(200, 200, 200, 200, 200, 200),
  // No bearer token: refused whoever is signed in (a session does not authenticate the webhook).
  "POST /api/k8s-audit": row(401, 401, 401, 401, 401, 401),
  "GET /api/k8s-access": row(401, 403, 403, 200, 200, 403),
  // Prometheus' scrape: off (404) while SEALDECK_METRICS_TOKEN is unset, whoever is signed in.
  "GET /api/metrics": row(404, 404, 404, 404, 404, 404),
};

const adminOnly = row(401, 403, 403, 403, 403, 200);
const policyWriters = row(401, 403, 403, 200, 403, 200);
const expectedActions: Record<string, Row> = {
  "lib/auth/actions/change-own-password#changeOwnPassword": row(401, 200, 200, 200, 200, 200),
  "lib/auth/actions/change-user-role#changeUserRole": adminOnly,
  "lib/auth/actions/add-namespace-grant#addNamespaceGrant": adminOnly,
  "lib/auth/actions/remove-namespace-grant#removeNamespaceGrant": adminOnly,
  "lib/auth/actions/revoke-user-sessions#revokeUserSessions": adminOnly,
  "lib/kube/actions/force-sync-secret#forceSyncSecret": row(401, 403, 403, 200, 403, 403),
  // The gate only; the action itself also checks every affected namespace (lib/recovery tests).
  "lib/recovery/actions/start-recovery-campaign#startRecoveryCampaign": row(401, 200, 200, 200, 403, 403),
  "lib/kube/actions/restart-secret-consumers#restartSecretConsumers": row(401, 403, 403, 200, 403, 403),
  "lib/kube/actions/validate-sealed-secret#validateSealedSecret": row(401, 200, 403, 200, 200, 403),
  "lib/fix-value/actions/start-value-fix#startValueFix": row(401, 200, 403, 200, 403, 403),
  "lib/fix-value/actions/cancel-value-fix#cancelValueFix": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/verify-sealed-manifests#verifySealedManifests": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/locate-proposal-files#locateProposalFiles": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/propose-sealed-secret#proposeSealedSecret": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/reencrypt-sealed-secrets#reencryptSealedSecrets": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/preview-proposal#previewProposal": row(401, 200, 403, 200, 403, 403),
  "lib/gitops/actions/merge-proposal#mergeProposal": row(401, 403, 403, 200, 403, 200),
  "lib/rotation/actions/save-rotation-policy#saveRotationPolicy": policyWriters,
  "lib/rotation/actions/delete-rotation-policy#deleteRotationPolicy": policyWriters,
  "lib/rotation/actions/grant-rotation-waiver#grantRotationWaiver": policyWriters,
  "lib/rotation/actions/revoke-rotation-waiver#revokeRotationWaiver": policyWriters,
  "lib/rotation/actions/save-team-mapping#saveTeamMapping": policyWriters,
  "lib/settings/actions/save-cluster-settings#saveClusterSettings": adminOnly,
  "lib/settings/actions/save-repositories#saveRepositories": adminOnly,
  "lib/settings/actions/save-group-mapping#saveGroupMapping": adminOnly,
  "lib/settings/actions/save-audit-retention#saveAuditRetention": adminOnly,
  "lib/settings/actions/acknowledge-key-backup#acknowledgeKeyBackup": row(401, 403, 403, 200, 403, 403),
  "lib/notifications/actions/save-notification-channel#saveNotificationChannel": adminOnly,
  "lib/notifications/actions/remove-notification-channel#removeNotificationChannel": adminOnly,
  "lib/notifications/actions/save-digest-time#saveDigestTime": adminOnly,
  "lib/notifications/actions/send-test-notification#sendTestNotification": adminOnly,
};

// Dynamic segments of the URL under test: the namespace is the one only the first developer holds.
const segmentValues: Record<string, string> = {
  cluster: "sandbox",
  namespace: "production",
  kind: "SealedSecret",
  name: "db",
};
const fill = (path: string) => path.replace(/\[(\w+)\]/g, (_, key: string) => segmentValues[key] ?? key);

function walk(dir: string, match: (file: string) => boolean, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, match, found);
    else if (match(path)) found.push(path);
  }
  return found;
}

/** app/secrets/page.tsx → /secrets; route groups "(x)" vanish from the URL. */
function routePath(file: string) {
  const segments = relative(join(root, "app"), file)
    .split("/")
    .slice(0, -1)
    .filter((s) => !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

const pageFiles = walk(join(root, "app"), (f) => /\/page\.tsx?$/.test(f));
const routeFiles = walk(join(root, "app"), (f) => /\/route\.ts$/.test(f));
const actionFiles = ["app", "lib", "components"].flatMap((dir) =>
  walk(
    join(root, dir),
    (f) =>
      /\.tsx?$/.test(f) &&
      !f.includes("/generated/") &&
      /^\s*["']use server["']/.test(readFileSync(f, "utf8")),
  ),
);

describe("the route registry covers the whole app", () => {
  it("lists every page, and pages call guardPage with their own path first", () => {
    for (const file of pageFiles) {
      const path = routePath(file);
      expect(
        Object.keys(pagePermissions),
        `${path} (${relative(root, file)}) is missing from pagePermissions`,
      ).toContain(path);
      const access: { permission: string; namespaced?: boolean } = pagePermissions[path as PagePath];
      const source = readFileSync(file, "utf8");
      if (access.permission === "public") continue;
      const body = source.slice(source.indexOf("export default async function"));
      const firstStatement = body
        .slice(body.indexOf("{", body.indexOf(")")) + 1)
        .trim()
        .split("\n")[0];
      // guardPage("<a registered path with this page's very access>", <its params or searchParams>)
      const call = /^const access = await guardPage\("([^"]+)"(, await (searchParams|params))?\);/.exec(
        firstStatement ?? "",
      );
      expect(call, `${relative(root, file)} must start with guardPage(...)`).not.toBeNull();
      expect(
        pagePermissions[call![1] as PagePath],
        `${relative(root, file)} guards with another page's access`,
      ).toEqual(access);
      if (access.namespaced)
        expect(call![2], `${relative(root, file)} must pass its namespace to guardPage`).toBeDefined();
    }
    expect(Object.keys(pagePermissions).sort()).toEqual(pageFiles.map(routePath).sort());
  });

  it("lists every route handler method", async () => {
    const found: string[] = [];
    for (const file of routeFiles) {
      const path = routePath(file);
      const source = readFileSync(file, "utf8");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        if (
          new RegExp(
            `export ((async )?function ${method}\\b|\\{[^}]*\\bas ${method}\\b|const ${method}\\b)`,
          ).test(source)
        ) {
          found.push(`${method} ${path}`);
          expect(
            routeHandlerPermissions[path]?.[method],
            `${method} ${path} is missing from routeHandlerPermissions`,
          ).toBeDefined();
        }
      }
    }
    const registered = Object.entries(routeHandlerPermissions).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(registered.sort()).toEqual(found.sort());
  });

  it("lists every server action", async () => {
    const found: string[] = [];
    for (const file of actionFiles) {
      const mod = relative(root, file).replace(/\.tsx?$/, "");
      for (const name of Object.keys(await import(/* @vite-ignore */ file))) found.push(`${mod}#${name}`);
    }
    expect(found.sort()).toEqual(Object.keys(actionPermissions).sort());
  });

  it("has an expectation for every registry entry", () => {
    for (const path of Object.keys(pagePermissions)) expect(Object.keys(expectedPages)).toContain(path);
    for (const [path, methods] of Object.entries(routeHandlerPermissions)) {
      for (const method of Object.keys(methods))
        expect(Object.keys(expectedRoutes)).toContain(`${method} ${path}`);
    }
    expect(Object.keys(expectedActions).sort()).toEqual(Object.keys(actionPermissions).sort());
  });
});

describe("authorization matrix", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const cookies = new Map<Kind, string | undefined>();
  const userIds = new Map<Kind, string>();
  let targetUserId: string;

  async function signIn(userId: string): Promise<string> {
    const { createAuthSession } = await import("./create-auth-session");
    const session = await createAuthSession(prisma, { userId, provider: "credentials", hours: 1 });
    return encode({ token: { sub: userId, sid: session.id }, secret });
  }

  beforeAll(async () => {
    db = await createMigratedDatabase();
    vi.stubEnv("DATABASE_URL", db.url);
    vi.stubEnv("NEXTAUTH_SECRET", secret);
    const { createPrismaClient } = await import("@/lib/db/prisma");
    const { hashPassword } = await import("./password-hash");
    // Imported modules may have read (and cached) the environment already: hand the app's Prisma
    // accessor this file's database directly, on the global it keeps its client in.
    prisma = createPrismaClient(db.url);
    (globalThis as { sealdeckPrisma?: PrismaClient }).sealdeckPrisma = prisma;
    const passwordHash = await hashPassword("matrix-password");
    const people: [Kind, string, { cluster: string; namespace: string }[]][] = [
      ["developer-with-namespace", "developer", [{ cluster: "sandbox", namespace: "production" }]],
      ["developer-without-namespace", "developer", [{ cluster: "sandbox", namespace: "staging" }]],
      ["security-lead", "security-lead", []],
      ["auditor", "auditor", []],
      ["admin", "admin", []],
    ];
    cookies.set("anonymous", undefined);
    for (const [kind, role, grants] of people) {
      const user = await prisma.user.create({
        data: { username: kind, displayName: kind, role, passwordHash, grants: { create: grants } },
      });
      userIds.set(kind, user.id);
      cookies.set(kind, await signIn(user.id));
    }
    targetUserId = (
      await prisma.user.create({ data: { username: "target", displayName: "Target", role: "developer" } })
    ).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    vi.unstubAllEnvs();
    await db.drop();
  });

  async function visitPage(url: string): Promise<Outcome | string> {
    const [path, query = ""] = url.split("?");
    const mod = (await import(
      /* @vite-ignore */ join(root, "app", path === "/" ? "" : path!, "page.tsx")
    )) as {
      default: (props: {
        searchParams: Promise<Record<string, string>>;
      }) => Promise<{ type?: unknown; props?: { "data-testid"?: string } }>;
    };
    const { Forbidden } = await import("@/components/auth/forbidden");
    try {
      const element = await mod.default({
        searchParams: Promise.resolve(Object.fromEntries(new URLSearchParams(query))),
      });
      return element.type === Forbidden ? 403 : 200;
    } catch (error) {
      const digest = (error as { digest?: string }).digest ?? "";
      if (!digest.startsWith("NEXT_REDIRECT")) throw error;
      const location = digest.split(";")[2] ?? "";
      return location.startsWith("/sign-in?callbackUrl=") ? "sign-in" : `redirect ${location}`;
    }
  }

  // Pages: the guard every page calls first (checked above), with its registry entry, for real.
  async function guard(url: string): Promise<Outcome | string> {
    const [path = "/", query = ""] = url.split("?");
    if (path === "/sign-in") return visitPage(url);
    const { guardPage } = await import("./guard-page");
    const params = {
      ...Object.fromEntries(new URLSearchParams(query)),
      ...(path.includes("[") ? segmentValues : {}),
    };
    try {
      return (await guardPage(path as PagePath, params)).allowed ? 200 : 403;
    } catch (error) {
      const digest = (error as { digest?: string }).digest ?? "";
      if (!digest.startsWith("NEXT_REDIRECT")) throw error;
      const location = digest.split(";")[2] ?? "";
      return location.startsWith("/sign-in?callbackUrl=") ? "sign-in" : `redirect ${location}`;
    }
  }

  for (const [url, expected] of Object.entries(expectedPages)) {
    it(`page ${url}`, async () => {
      const actual: Record<string, Outcome | string> = {};
      for (const kind of kinds) {
        state.cookie = cookies.get(kind);
        actual[kind] = await guard(url);
      }
      // Visiting the sign-in page signed in sends you on to your start page: that counts as reachable.
      if (url === "/sign-in") {
        for (const kind of kinds) {
          const outcome = actual[kind];
          if (typeof outcome === "string" && /^redirect \/(secrets|rotations|audit|settings)$/.test(outcome))
            actual[kind] = 200;
        }
      }
      expect(actual).toEqual(expected);
    });
  }

  type RouteModule = Record<
    string,
    ((
      request: NextRequest,
      context: { params: Promise<Record<string, string | string[]>> },
    ) => Promise<Response>) & {
      permission?: string;
      check?: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<number>;
    }
  >;

  // Route handlers: public ones are called; the others through their wrapper's gate (all but the body).
  for (const [key, expected] of Object.entries(expectedRoutes)) {
    it(`route ${key}`, async () => {
      const [method, path] = key.split(" ") as [HttpMethod, string];
      const handler = ((await import(/* @vite-ignore */ join(root, "app", path, "route.ts"))) as RouteModule)[
        method
      ]!;
      const access = routeHandlerPermissions[path]![method]!;
      const { NextRequest } = await import("next/server");
      const actual: Record<string, number> = {};
      for (const kind of kinds) {
        state.cookie = cookies.get(kind);
        const concrete = fill(path.replace("[...nextauth]", method === "GET" ? "csrf" : "signout"));
        const request = new NextRequest(`http://sealdeck.test${concrete}`, {
          method,
          headers: {
            host: "sealdeck.test",
            origin: "http://sealdeck.test",
            ...(state.cookie ? { cookie: `next-auth.session-token=${state.cookie}` } : {}),
          },
          ...(method === "POST" ? { body: new URLSearchParams({ csrfToken: "x", json: "true" }) } : {}),
        });
        if (access === "public") {
          const response = await handler(request, {
            params: Promise.resolve({ nextauth: concrete.split("/").slice(3) }),
          });
          // next-auth answers a POST without a valid CSRF token with a redirect: still served.
          actual[kind] = response.status >= 300 && response.status < 400 ? 200 : response.status;
        } else {
          expect(handler.permission, `${key} is not wrapped in authorizedRoute with ${access}`).toBe(access);
          actual[kind] = await handler.check!(request, { params: Promise.resolve(segmentValues) });
        }
      }
      expect(actual).toEqual(expected);
    });
  }

  const validInput = async (key: string, kind: Kind): Promise<unknown> => {
    switch (key.split("#")[1]) {
      case "changeOwnPassword":
        return {
          currentPassword: "matrix-password",
          newPassword: `new-password-for-${kind}`,
          confirmPassword: `new-password-for-${kind}`,
        };
      case "changeUserRole":
        return { userId: targetUserId, role: "auditor" };
      case "addNamespaceGrant":
        return { userId: targetUserId, cluster: "sandbox", namespace: `ns-${kind}` };
      case "mergeProposal":
        return { proposalId: "00000000-0000-4000-8000-000000000000" };
      case "removeNamespaceGrant":
        return { grantId: "00000000-0000-4000-8000-000000000000" };
      case "revokeUserSessions":
        return { userId: targetUserId };
      case "saveClusterSettings":
        return { cluster: "sandbox", displayName: "Sandbox", environment: "development" };
      case "saveRepositories":
        return { repositories: [{ provider: "plain-git", remote: "/tmp/gitops" }] };
      case "saveGroupMapping":
        return { mapping: [{ group: "platform", role: "admin" }] };
      case "saveAuditRetention":
        return { days: 365 };
      case "acknowledgeKeyBackup":
      case "startRecoveryCampaign":
        return { cluster: "sandbox" };
      case "reencryptSealedSecrets":
        return { cluster: "sandbox", secrets: [{ namespace: "production", name: "db" }] };
      case "saveRotationPolicy":
        return { scope: { level: "namespace", cluster: null, namespace: "production" }, maxAge: "30d" };
      case "deleteRotationPolicy":
      case "revokeRotationWaiver":
        return { id: "00000000-0000-4000-8000-000000000000" };
      case "grantRotationWaiver":
        return {
          cluster: "sandbox",
          namespace: "production",
          kind: "SealedSecret",
          name: "db",
          key: null,
          until: new Date().toISOString().slice(0, 10),
          reason: "waiting for the vendor's new credentials",
        };
      case "saveTeamMapping":
        return { mapping: [{ cluster: null, namespace: "production", team: "payments" }] };
      case "saveNotificationChannel":
        return {
          channel: {
            id: "00000000-0000-4000-8000-000000000001",
            name: `Slack ${kind}`,
            type: "slack",
            urlEnv: "SEALDECK_NOTIFY_SLACK_URL",
          },
        };
      case "removeNotificationChannel":
      case "sendTestNotification":
        return { id: "00000000-0000-4000-8000-000000000000" };
      case "startValueFix":
        return {
          cluster: "sandbox",
          namespace: "production",
          kind: "SealedSecret",
          name: "db",
          keys: ["password"],
        };
      case "cancelValueFix":
        return {
          cluster: "sandbox",
          namespace: "production",
          kind: "SealedSecret",
          name: "db",
          fixId: "00000000-0000-4000-8000-000000000000",
        };
      case "saveDigestTime":
        return { digestTime: "07:30" };
      case "verifySealedManifests":
      case "locateProposalFiles":
      case "proposeSealedSecret":
      case "previewProposal":
        return (await import("@/lib/gitops/testing/proposal-inputs")).proposalInputFor(key.split("#")[1]!);
      default:
        // The secret page's actions take a secret's address.
        return { cluster: "sandbox", namespace: "production", kind: "SealedSecret", name: "db" };
    }
  };

  // Server actions through their wrapper's gate: origin, session, permission, input, namespace.
  for (const [key, expected] of Object.entries(expectedActions)) {
    it(`action ${key}`, async () => {
      const [file, name] = key.split("#") as [string, string];
      const action = (
        (await import(/* @vite-ignore */ join(root, `${file}.ts`))) as Record<
          string,
          { permission?: string; check?: (input: unknown) => Promise<number> }
        >
      )[name]!;
      expect(action.permission, `${key} is not wrapped in authorizedAction`).toBe(actionPermissions[key]);
      const actual: Record<string, number> = {};
      for (const kind of kinds) {
        state.cookie = cookies.get(kind);
        actual[kind] = await action.check!(await validInput(key, kind));
      }
      expect(actual).toEqual(expected);
    });
  }

  it("the users actions run end to end for an admin", async () => {
    state.cookie = cookies.get("admin");
    const { addNamespaceGrant } = await import("./actions/add-namespace-grant");
    const { removeNamespaceGrant } = await import("./actions/remove-namespace-grant");
    const { changeUserRole } = await import("./actions/change-user-role");
    const { revokeUserSessions } = await import("./actions/revoke-user-sessions");
    expect(
      await addNamespaceGrant({ userId: targetUserId, cluster: "sandbox", namespace: "payments" }),
    ).toMatchObject({ ok: true });
    const grant = await prisma.namespaceGrant.findFirstOrThrow({
      where: { userId: targetUserId, namespace: "payments" },
    });
    expect(await removeNamespaceGrant({ grantId: grant.id })).toMatchObject({ ok: true });
    expect(await prisma.namespaceGrant.count({ where: { id: grant.id } })).toBe(0);
    expect(await changeUserRole({ userId: targetUserId, role: "auditor" })).toMatchObject({
      ok: true,
      data: { role: "auditor" },
    });
    await signIn(targetUserId);
    expect(await revokeUserSessions({ userId: targetUserId })).toMatchObject({
      ok: true,
      data: { revoked: 1 },
    });
    // The last admin cannot demote themself.
    const admins = await prisma.user.count({ where: { role: "admin" } });
    expect(admins).toBe(1);
    expect(await changeUserRole({ userId: userIds.get("admin"), role: "developer" })).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  describe("sessions and CSRF", () => {
    const { anyAction } = { anyAction: "lib/auth/actions/revoke-user-sessions" };

    it("an action from a foreign origin, or with no Origin, is refused even for an admin", async () => {
      const { revokeUserSessions } = (await import(/* @vite-ignore */ join(root, `${anyAction}.ts`))) as {
        revokeUserSessions: (input: unknown) => Promise<ActionResult<unknown>>;
      };
      state.cookie = cookies.get("admin");
      for (const origin of ["http://evil.test", "null", null]) {
        state.origin = origin;
        expect(await revokeUserSessions({ userId: targetUserId })).toMatchObject({ ok: false, status: 403 });
      }
      state.origin = "http://sealdeck.test";
      expect(await revokeUserSessions({ userId: targetUserId })).toMatchObject({ ok: true });
    });

    it("invalid input to an allowed action is a 422 with field errors; a forbidden user learns nothing about the input", async () => {
      const { changeUserRole } = await import("./actions/change-user-role");
      state.cookie = cookies.get("admin");
      expect(await changeUserRole({ userId: "not-a-uuid", role: "root" })).toMatchObject({
        ok: false,
        status: 422,
        fieldErrors: { userId: expect.any(Array), role: expect.any(Array) },
      });
      state.cookie = cookies.get("auditor");
      expect(await changeUserRole({ userId: "not-a-uuid" })).toMatchObject({ ok: false, status: 403 });
    });

    it("the route wrapper refuses a cross-origin POST and an anonymous GET", async () => {
      const { authorizedRoute } = await import("./authorized-route");
      const route = authorizedRoute("audit:read", async () => Response.json({ ok: true }));
      const call = (method: string, kind: Kind, origin = "http://sealdeck.test") =>
        route(
          new Request("http://sealdeck.test/api/x", {
            method,
            headers: {
              origin,
              host: "sealdeck.test",
              ...(cookies.get(kind) ? { cookie: `next-auth.session-token=${cookies.get(kind)}` } : {}),
            },
          }),
        );
      expect((await call("GET", "anonymous")).status).toBe(401);
      expect((await call("GET", "developer-with-namespace")).status).toBe(403);
      expect((await call("GET", "auditor")).status).toBe(200);
      expect((await call("POST", "auditor", "http://evil.test")).status).toBe(403);
      expect((await call("POST", "auditor")).status).toBe(200);
    });

    it("an account with a one-time password is sent to /change-password and can do nothing else", async () => {
      const { hashPassword } = await import("./password-hash");
      const fresh = await prisma.user.create({
        data: {
          username: "fresh-admin",
          displayName: "Fresh",
          role: "admin",
          mustChangePassword: true,
          passwordHash: await hashPassword("one-time-pass"),
        },
      });
      state.cookie = await signIn(fresh.id);
      expect(await visitPage("/settings")).toBe("redirect /change-password");
      expect(await visitPage("/sign-in")).toBe("redirect /change-password");
      expect(await visitPage("/change-password")).toBe(200);
      const { changeUserRole } = await import("./actions/change-user-role");
      expect(await changeUserRole({ userId: targetUserId, role: "developer" })).toMatchObject({
        ok: false,
        status: 403,
      });
      const { changeOwnPassword } = await import("./actions/change-own-password");
      expect(
        await changeOwnPassword({
          currentPassword: "one-time-pass",
          newPassword: "a-brand-new-password",
          confirmPassword: "a-brand-new-password",
        }),
      ).toMatchObject({ ok: true });
      expect(await visitPage("/settings")).toBe(200);
    });

    it("a revoked, expired, foreign or tampered session is anonymous; a role change applies at the next request", async () => {
      const { loadPrincipal } = await import("./load-principal");
      const { revokeAuthSessions } = await import("./revoke-auth-sessions");
      const userId = userIds.get("security-lead")!;
      const cookie = await signIn(userId);
      const principal = await loadPrincipal(prisma, cookie);
      expect(principal).toMatchObject({ role: "security-lead", username: "security-lead" });

      await prisma.user.update({ where: { id: userId }, data: { role: "auditor" } });
      expect((await loadPrincipal(prisma, cookie))?.role).toBe("auditor");
      await prisma.user.update({ where: { id: userId }, data: { role: "security-lead" } });

      await revokeAuthSessions(prisma, { sessionId: principal!.sessionId });
      expect(await loadPrincipal(prisma, cookie)).toBeNull();

      const expiring = await signIn(userId);
      expect(await loadPrincipal(prisma, expiring, new Date(Date.now() + 2 * 3_600_000))).toBeNull();

      const other = await encode({
        token: { sub: userId, sid: principal!.sessionId },
        secret: "another-secret-0123456789abcdef0123456789",
      });
      expect(await loadPrincipal(prisma, other)).toBeNull();
      expect(await loadPrincipal(prisma, `${expiring.slice(0, -4)}AAAA`)).toBeNull();
      // A valid session id under someone else's user id does not pass either.
      const live = await loadPrincipal(prisma, expiring);
      const swapped = await encode({ token: { sub: userIds.get("admin"), sid: live!.sessionId }, secret });
      expect(await loadPrincipal(prisma, swapped)).toBeNull();
    });
  });
});
