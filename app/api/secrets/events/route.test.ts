import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { announceAccessChange } from "@/lib/auth/access-changes";
import { createAuthSession } from "@/lib/auth/create-auth-session";
import { revokeAuthSessions } from "@/lib/auth/revoke-auth-sessions";
import type { InventoryEvent } from "@/lib/kube/inventory";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";

// The live stream against real sessions in Postgres: the cookie is encoded as next-auth does, the route
// loads it through the production code, and revocations and grant removals end or narrow the stream.

const secret = "events-route-test-secret-0123456789abcdef01234";
vi.hoisted(() => {
  process.env.NEXTAUTH_SECRET = "events-route-test-secret-0123456789abcdef01234";
  // The shortest re-check, for the revocation made by another process (nothing wakes the stream).
  process.env.SEALDECK_STREAM_RECHECK_SECONDS = "1";
});

const inventory = vi.hoisted(() => {
  const listeners = new Set<(event: InventoryEvent) => void>();
  return {
    revision: 0,
    listeners,
    subscribe(listener: (event: InventoryEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    deleted(id: string) {
      this.revision += 1;
      for (const listener of listeners)
        listener({ type: "delete", revision: this.revision, id, previous: null });
    },
  };
});
vi.mock("@/lib/kube/inventory", () => ({ getInventory: () => inventory }));

const { GET } = await import("./route");

describe("GET /api/secrets/events", () => {
  const { prisma } = setupMigratedDatabase({ appClient: true });
  let userId = "";

  beforeAll(async () => {
    const user = await prisma.user.create({
      data: {
        username: "stream-dev",
        displayName: "Stream Dev",
        role: "developer",
        grants: {
          create: [
            { cluster: "sandbox", namespace: "production" },
            { cluster: "sandbox", namespace: "staging" },
          ],
        },
      },
    });
    userId = user.id;
  });
  afterAll(() => vi.unstubAllEnvs());

  async function open() {
    const session = await createAuthSession(prisma, { userId, provider: "credentials", hours: 1 });
    const cookie = await encode({ token: { sub: userId, sid: session.id }, secret });
    const abort = new AbortController();
    const response = await GET(
      new Request("http://sealdeck.test/api/secrets/events", {
        headers: { cookie: `next-auth.session-token=${cookie}` },
        signal: abort.signal,
      }),
    );
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    // Every frame up to (and including) one that matches, or null when the stream ended first.
    const until = async (match: (frame: string) => boolean): Promise<string[] | null> => {
      const frames: string[] = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value);
        const parts = buffer.split("\n\n");
        buffer = parts.pop() ?? "";
        frames.push(...parts);
        if (parts.some(match)) return frames;
      }
    };
    await until((f) => f.includes("event: ready"));
    return { sessionId: session.id, until, reader, abort };
  }

  it("ends the stream as soon as this server revokes the session (sign-out, admin revoke)", async () => {
    const stream = await open();
    inventory.deleted("sandbox/production/SealedSecret/one");
    expect(await stream.until((f) => f.includes("/one"))).not.toBeNull();

    await revokeAuthSessions(prisma, { sessionId: stream.sessionId });
    announceAccessChange();
    expect(await stream.until(() => false)).toBeNull();
  });

  it("ends the stream at the next re-check when another process revoked the session (the CLI)", async () => {
    const stream = await open();
    await prisma.authSession.update({ where: { id: stream.sessionId }, data: { revokedAt: new Date() } });
    // No announcement: only the timer can notice.
    expect(await stream.until(() => false)).toBeNull();
  });

  it("stops sending a namespace whose grant was removed, and goes on with the others", async () => {
    const stream = await open();
    inventory.deleted("sandbox/production/SealedSecret/before");
    expect(await stream.until((f) => f.includes("/before"))).not.toBeNull();

    await prisma.namespaceGrant.deleteMany({ where: { userId, namespace: "production" } });
    announceAccessChange();
    // The re-check runs in the background: send production + a staging marker until production is gone.
    let frames: string[] | null = [];
    for (let round = 0; ; round += 1) {
      // Bounded: if the fresh grants were never applied this fails instead of spinning.
      expect(round).toBeLessThan(1000);
      // Let the re-check's database round trip run: reading the stream alone never leaves the microtask queue.
      await new Promise((next) => setTimeout(next, 10));
      inventory.deleted(`sandbox/production/SealedSecret/after-${round}`);
      inventory.deleted(`sandbox/staging/SealedSecret/marker-${round}`);
      frames = await stream.until((f) => f.includes(`marker-${round}`));
      expect(frames).not.toBeNull();
      if (!frames!.some((f) => f.includes("/production/"))) break;
    }
    inventory.deleted("sandbox/production/SealedSecret/later");
    inventory.deleted("sandbox/staging/SealedSecret/last");
    frames = await stream.until((f) => f.includes("/last"));
    expect(frames?.some((f) => f.includes("/production/"))).toBe(false);
    stream.abort.abort();
    await prisma.namespaceGrant.create({ data: { userId, cluster: "sandbox", namespace: "production" } });
  });

  it("ends the stream when the role no longer allows reading the inventory", async () => {
    const stream = await open();
    await prisma.user.update({ where: { id: userId }, data: { role: "admin" } });
    announceAccessChange();
    expect(await stream.until(() => false)).toBeNull();
    await prisma.user.update({ where: { id: userId }, data: { role: "developer" } });
  });
});
