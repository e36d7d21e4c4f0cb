import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { Prisma, type PrismaClient } from "./generated/client";

// schema.prisma and the hand-written SQL migrations must describe the same database. This applies every
// migration to an empty database, then drives every model through the generated client: a column,
// type or constraint that differs between the two makes a query here fail.

type Exercise = (prisma: PrismaClient) => Promise<void>;

const exercises: Record<Prisma.ModelName, Exercise> = {
  async Setting(prisma) {
    const created = await prisma.setting.create({
      data: {
        key: "clusters.sandbox.environment",
        value: { environment: "development", tags: ["demo"] },
        updatedBy: "admin",
      },
    });
    expect(created.updatedAt).toBeInstanceOf(Date);
    const read = await prisma.setting.findUniqueOrThrow({ where: { key: created.key } });
    expect(read.value).toEqual({ environment: "development", tags: ["demo"] });
    const updated = await prisma.setting.update({
      where: { key: created.key },
      data: { value: { environment: "staging" } },
    });
    expect(updated.value).toEqual({ environment: "staging" });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    await expect(prisma.setting.create({ data: { key: created.key, value: {} } })).rejects.toThrow();
    await prisma.setting.delete({ where: { key: created.key } });
    expect(await prisma.setting.count()).toBe(0);
  },
  async User(prisma) {
    const user = await prisma.user.create({
      data: {
        username: "drift-user",
        displayName: "Drift User",
        role: "security-lead",
        passwordHash: "scrypt$ln=15,r=8,p=1,len=64$c2FsdA==$a2V5",
      },
    });
    expect(user).toMatchObject({
      mustChangePassword: false,
      failedSignIns: 0,
      managedByGroups: false,
      lockedUntil: null,
      email: null,
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    const locked = await prisma.user.update({
      where: { id: user.id },
      data: {
        failedSignIns: { increment: 1 },
        lockedUntil: new Date("2030-01-01T00:00:00.123Z"),
        lastSignInAt: new Date(),
      },
    });
    expect(locked.failedSignIns).toBe(1);
    expect(locked.lockedUntil?.toISOString()).toBe("2030-01-01T00:00:00.123Z");
    const external = await prisma.user.create({
      data: {
        username: "drift-oidc",
        displayName: "OIDC",
        role: "auditor",
        externalProvider: "oidc",
        externalSubject: "sub-1",
        managedByGroups: true,
        email: "a@example.com",
      },
    });
    const found = await prisma.user.findUniqueOrThrow({
      where: { externalProvider_externalSubject: { externalProvider: "oidc", externalSubject: "sub-1" } },
    });
    expect(found.id).toBe(external.id);
    await expect(
      prisma.user.create({ data: { username: "drift-user", displayName: "dup", role: "admin" } }),
    ).rejects.toThrow();
    await expect(
      prisma.user.create({
        data: {
          username: "drift-oidc-2",
          displayName: "dup",
          role: "admin",
          externalProvider: "oidc",
          externalSubject: "sub-1",
        },
      }),
    ).rejects.toThrow();
    // The role CHECK constraint lives only in SQL.
    await expect(
      prisma.user.create({ data: { username: "drift-bad-role", displayName: "x", role: "root" } }),
    ).rejects.toThrow();
    await prisma.user.deleteMany({ where: { username: { startsWith: "drift-" } } });
  },
  async NamespaceGrant(prisma) {
    const user = await prisma.user.create({
      data: { username: "drift-grantee", displayName: "G", role: "developer" },
    });
    const grant = await prisma.namespaceGrant.create({
      data: { userId: user.id, cluster: "*", namespace: "payments", createdBy: "admin" },
    });
    expect(grant.createdAt).toBeInstanceOf(Date);
    expect(grant.source).toBe("admin");
    const mapped = await prisma.namespaceGrant.create({
      data: { userId: user.id, cluster: "*", namespace: "billing", source: "mapping" },
    });
    expect(mapped.source).toBe("mapping");
    // The source CHECK constraint lives only in SQL.
    await expect(
      prisma.namespaceGrant.create({
        data: { userId: user.id, cluster: "*", namespace: "x", source: "other" },
      }),
    ).rejects.toThrow();
    await expect(
      prisma.namespaceGrant.create({ data: { userId: user.id, cluster: "*", namespace: "payments" } }),
    ).rejects.toThrow();
    const withGrants = await prisma.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { grants: true },
    });
    expect(withGrants.grants.map((g) => g.namespace).sort()).toEqual(["billing", "payments"]);
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.namespaceGrant.count({ where: { id: grant.id } })).toBe(0); // cascades
  },
  async AuthSession(prisma) {
    const user = await prisma.user.create({
      data: { username: "drift-session", displayName: "S", role: "auditor" },
    });
    const session = await prisma.authSession.create({
      data: {
        id: "a".repeat(43),
        userId: user.id,
        provider: "credentials",
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    expect(session).toMatchObject({
      revokedAt: null,
      lastSeenAt: null,
      recheckAt: null,
      providerRefreshToken: null,
    });
    const revoked = await prisma.authSession.update({
      where: { id: session.id },
      data: {
        revokedAt: new Date(),
        lastSeenAt: new Date(),
        recheckAt: new Date("2030-01-01T00:00:00.5Z"),
        providerRefreshToken: "v1.".padEnd(2000, "x"),
      },
    });
    expect(revoked.recheckAt?.toISOString()).toBe("2030-01-01T00:00:00.500Z");
    expect(revoked.providerRefreshToken).toHaveLength(2000);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(
      prisma.authSession.create({
        data: {
          id: "b",
          userId: "00000000-0000-4000-8000-000000000000",
          provider: "x",
          expiresAt: new Date(),
        },
      }),
    ).rejects.toThrow();
    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.authSession.count({ where: { id: session.id } })).toBe(0);
  },
  async AuditEvent(prisma) {
    // The trigger assigns seq, time, prev_hash and hash whatever the client sends.
    const created = await prisma.auditEvent.create({
      data: {
        action: "settings.changed",
        outcome: "success",
        targetKeys: ["A", "B"],
        details: { key: "clusters" },
        actorName: "admin",
      },
    });
    expect(created.seq).toBeGreaterThan(0n);
    expect(created.hash).toHaveLength(32);
    expect(created.prevHash).toHaveLength(32);
    const read = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: created.seq } });
    expect(read).toMatchObject({
      targetKeys: ["A", "B"],
      details: { key: "clusters" },
      outcome: "success",
      pullRequestUrl: null,
    });
    // Append-only: the triggers refuse UPDATE and DELETE.
    await expect(
      prisma.auditEvent.update({ where: { seq: created.seq }, data: { actorName: "mallory" } }),
    ).rejects.toThrow();
    await expect(prisma.auditEvent.delete({ where: { seq: created.seq } })).rejects.toThrow();
    await expect(prisma.auditEvent.create({ data: { action: "x", outcome: "maybe" } })).rejects.toThrow();
  },
  async AuditCheckpoint(prisma) {
    const created = await prisma.auditCheckpoint.create({
      data: {
        seq: 0n,
        hash: new Uint8Array(32),
        headTime: null,
        createdAt: new Date(),
        prevSignature: null,
        signature: new Uint8Array(64),
        keyId: "0".repeat(64),
        publicKey: "-----BEGIN PUBLIC KEY-----",
      },
    });
    const read = await prisma.auditCheckpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(read.signature).toHaveLength(64);
    expect(read.headTime).toBeNull();
    await expect(
      prisma.auditCheckpoint.update({ where: { id: created.id }, data: { keyId: "f".repeat(64) } }),
    ).rejects.toThrow();
  },
  async Proposal(prisma) {
    const created = await prisma.proposal.create({
      data: {
        repository: "default",
        provider: "github",
        number: 42,
        url: "https://github.com/acme/deploy/pull/42",
        branch: "sealdeck/payments/db",
        baseBranch: "main",
        headSha: "a".repeat(40),
        state: "open",
        title: "Rotate payments/db: password",
        namespace: "payments",
        name: "db",
        clusters: ["staging", "production"],
        keys: ["password"],
        requestedByName: "developer",
      },
    });
    const read = await prisma.proposal.findUniqueOrThrow({ where: { id: created.id } });
    expect(read).toMatchObject({
      clusters: ["staging", "production"],
      keys: ["password"],
      stateCheckedAt: null,
    });
    const merged = await prisma.proposal.update({
      where: { id: created.id },
      data: { state: "merged", stateCheckedAt: new Date() },
    });
    expect(merged.state).toBe("merged");
    await expect(
      prisma.proposal.update({ where: { id: created.id }, data: { state: "draft" } }),
    ).rejects.toThrow();
  },
  async RecoveryCampaign(prisma) {
    const campaign = await prisma.recoveryCampaign.create({
      data: {
        incidentId: "key-loss/prod",
        cluster: "prod",
        missingKeys: ["a".repeat(64)],
        startedByName: "lead",
        secrets: {
          create: [
            {
              namespace: "payments",
              name: "db",
              keys: ["password"],
              owner: "payments",
              ownerSource: "label",
            },
          ],
        },
      },
      include: { secrets: true },
    });
    expect(campaign).toMatchObject({ closedAt: null, startedById: null });
    expect(campaign.secrets).toEqual([expect.objectContaining({ keys: ["password"], owner: "payments" })]);
    // One open campaign per cluster; a closed one does not count.
    await expect(
      prisma.recoveryCampaign.create({
        data: { incidentId: "key-loss/prod", cluster: "prod", missingKeys: [], startedByName: "lead" },
      }),
    ).rejects.toThrow();
    await prisma.recoveryCampaign.update({ where: { id: campaign.id }, data: { closedAt: new Date() } });
    await prisma.recoveryCampaign.create({
      data: { incidentId: "key-loss/prod", cluster: "prod", missingKeys: [], startedByName: "lead" },
    });
  },
  async RecoveryCampaignSecret(prisma) {
    const campaign = await prisma.recoveryCampaign.create({
      data: { incidentId: "key-loss/stage", cluster: "stage", missingKeys: [], startedByName: "lead" },
    });
    await prisma.recoveryCampaignSecret.create({
      data: { campaignId: campaign.id, namespace: "web", name: "api", keys: ["TOKEN"] },
    });
    await expect(
      prisma.recoveryCampaignSecret.create({
        data: { campaignId: campaign.id, namespace: "web", name: "api", keys: [] },
      }),
    ).rejects.toThrow();
    expect(
      await prisma.recoveryCampaignSecret.findFirstOrThrow({ where: { campaignId: campaign.id } }),
    ).toMatchObject({
      owner: null,
      ownerSource: null,
      absentSince: null,
    });
  },
  async K8sAccessEvent(prisma) {
    const created = await prisma.k8sAccessEvent.create({
      data: {
        cluster: "prod",
        auditId: "6f1c1e0a-0000-4000-8000-000000000001",
        stage: "ResponseComplete",
        time: new Date("2026-11-23T15:10:00.123Z"),
        username: "system:serviceaccount:ci:deployer",
        groups: ["system:serviceaccounts"],
        verb: "get",
        resource: "secrets",
        namespace: "payments",
        name: "db",
        sourceIps: ["10.0.0.7"],
        userAgent: "kubectl/v1.32.0",
        responseCode: 200,
      },
    });
    const read = await prisma.k8sAccessEvent.findUniqueOrThrow({
      where: { cluster_auditId: { cluster: "prod", auditId: created.auditId } },
    });
    expect(read).toMatchObject({ apiGroup: "", impersonatedUser: null, groups: ["system:serviceaccounts"] });
    expect(read.receivedAt).toBeInstanceOf(Date);
    // One row per (cluster, auditID): a retried batch cannot insert it twice.
    await expect(
      prisma.k8sAccessEvent.create({
        data: {
          cluster: "prod",
          auditId: created.auditId,
          stage: "x",
          time: new Date(),
          verb: "get",
          resource: "secrets",
        },
      }),
    ).rejects.toThrow();
  },
  async ObservedRotation(prisma) {
    const identity = {
      cluster: "prod",
      kind: "SealedSecret",
      namespace: "payments",
      name: "db",
      key: "password",
    };
    const first = await prisma.observedRotation.create({ data: { ...identity, valueHash: "a".repeat(64) } });
    expect(first).toMatchObject({ previousHash: null, resourceVersion: null, reencryption: false });
    expect(first.observedAt).toBeInstanceOf(Date);
    await prisma.observedRotation.create({
      data: { ...identity, valueHash: "b".repeat(64), previousHash: "a".repeat(64), resourceVersion: "12" },
    });
    const reencrypted = await prisma.observedRotation.create({
      data: { ...identity, valueHash: "c".repeat(64), previousHash: "b".repeat(64), reencryption: true },
    });
    expect(reencrypted.reencryption).toBe(true);
    await expect(
      prisma.observedRotation.create({ data: { ...identity, valueHash: "a".repeat(64) } }),
    ).rejects.toThrow();
    expect(await prisma.observedRotation.count({ where: identity })).toBe(3);
  },
  async RotationPolicy(prisma) {
    const created = await prisma.rotationPolicy.create({
      data: {
        level: "namespace",
        scopeKey: '["namespace",null,"payments"]',
        namespace: "payments",
        maxAgeDays: 30,
        updatedBy: "lead",
      },
    });
    expect(created).toMatchObject({ note: "", cluster: null, key: null, environment: null });
    expect(created.updatedAt).toBeInstanceOf(Date);
    const updated = await prisma.rotationPolicy.update({
      where: { scopeKey: created.scopeKey },
      data: { maxAgeDays: 60, note: "PCI" },
    });
    expect(updated).toMatchObject({ maxAgeDays: 60, note: "PCI" });
    await expect(
      prisma.rotationPolicy.create({
        data: { level: "global", scopeKey: created.scopeKey, maxAgeDays: 1, updatedBy: "x" },
      }),
    ).rejects.toThrow();
    // The level and max-age CHECK constraints live only in SQL.
    await expect(
      prisma.rotationPolicy.create({
        data: { level: "planet", scopeKey: "p", maxAgeDays: 1, updatedBy: "x" },
      }),
    ).rejects.toThrow();
    await expect(
      prisma.rotationPolicy.create({
        data: { level: "global", scopeKey: "g", maxAgeDays: 0, updatedBy: "x" },
      }),
    ).rejects.toThrow();
    await prisma.rotationPolicy.delete({ where: { id: created.id } });
  },
  async RotationWaiver(prisma) {
    const created = await prisma.rotationWaiver.create({
      data: {
        cluster: "prod",
        namespace: "payments",
        kind: "SealedSecret",
        name: "db",
        key: null,
        until: new Date("2027-01-31T23:59:59.999Z"),
        reason: "vendor migration in January",
        createdBy: "lead",
      },
    });
    expect(created).toMatchObject({ revokedAt: null, revokedBy: null, key: null });
    expect(created.until.toISOString()).toBe("2027-01-31T23:59:59.999Z");
    const revoked = await prisma.rotationWaiver.update({
      where: { id: created.id },
      data: { revokedAt: new Date(), revokedBy: "admin" },
    });
    expect(revoked.revokedBy).toBe("admin");
    expect(
      await prisma.rotationWaiver.count({ where: { cluster: "prod", namespace: "payments", name: "db" } }),
    ).toBe(1);
  },
  async GitKeyChange(prisma) {
    const identity = {
      repository: "default",
      branch: "main",
      path: "prod/payments/db.sealedsecret.yaml",
      namespace: "payments",
      name: "db",
      key: "password",
    };
    const created = await prisma.gitKeyChange.create({
      data: {
        ...identity,
        commit: "a".repeat(40),
        committedAt: new Date("2026-01-02T03:04:05.000Z"),
        author: "Alice",
        valueHash: "b".repeat(64),
      },
    });
    expect(created.committedAt.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    await expect(
      prisma.gitKeyChange.create({
        data: {
          ...identity,
          commit: "c".repeat(40),
          committedAt: new Date(),
          author: "Bob",
          valueHash: "d".repeat(64),
        },
      }),
    ).rejects.toThrow();
    const updated = await prisma.gitKeyChange.update({
      where: { repository_branch_path_namespace_name_key: identity },
      data: { commit: "c".repeat(64) },
    });
    expect(updated.commit).toHaveLength(64);
    expect(await prisma.gitKeyChange.count({ where: { namespace: "payments", name: "db" } })).toBe(1);
  },
  async GitHistoryCursor(prisma) {
    const cursor = await prisma.gitHistoryCursor.create({
      data: { repository: "default", branch: "main", lastCommit: "a".repeat(40), headCommit: "b".repeat(40) },
    });
    expect(cursor).toMatchObject({ commitsRead: 0 });
    expect(cursor.updatedAt).toBeInstanceOf(Date);
    await expect(
      prisma.gitHistoryCursor.create({
        data: {
          repository: "default",
          branch: "main",
          lastCommit: "c".repeat(40),
          headCommit: "c".repeat(40),
        },
      }),
    ).rejects.toThrow();
    const moved = await prisma.gitHistoryCursor.update({
      where: { repository_branch: { repository: "default", branch: "main" } },
      data: { lastCommit: "b".repeat(40), commitsRead: { increment: 5 } },
    });
    expect(moved.commitsRead).toBe(5);
  },
  async NotificationItem(prisma) {
    const now = new Date("2026-12-05T08:00:00.000Z");
    const item = await prisma.notificationItem.create({
      data: {
        itemKey: "rotation-overdue:sandbox/payments/SealedSecret/db#password",
        kind: "rotation-overdue",
        cluster: "sandbox",
        item: { name: "db", key: "password" },
        openedAt: now,
        lastSeenAt: now,
      },
    });
    expect(item.item).toEqual({ name: "db", key: "password" });
    // Issue #21: a secret store not Ready.
    await prisma.notificationItem.create({
      data: {
        itemKey: "store-unreachable:sandbox/production/SecretStore/vault",
        kind: "store-unreachable",
        cluster: "sandbox",
        item: { name: "vault" },
        openedAt: now,
        lastSeenAt: now,
      },
    });
    // The kind CHECK constraint lives only in SQL.
    await expect(
      prisma.notificationItem.create({
        data: { itemKey: "x", kind: "nonsense", cluster: "c", item: {}, openedAt: now, lastSeenAt: now },
      }),
    ).rejects.toThrow();
    const seen = await prisma.notificationItem.update({
      where: { itemKey: item.itemKey },
      data: { lastSeenAt: new Date(now.getTime() + 60_000) },
    });
    expect(seen.lastSeenAt.getTime() - seen.openedAt.getTime()).toBe(60_000);
  },
  async NotificationDelivery(prisma) {
    const day = new Date("2026-12-05T00:00:00.000Z");
    const delivery = await prisma.notificationDelivery.create({
      data: {
        channelId: "0b7e4bde-7a37-4a4b-9f0a-1d4c1f0e9a11",
        itemKey: "digest",
        day,
        kind: "digest",
        payload: { items: [] },
        nextAttemptAt: day,
      },
    });
    expect(delivery).toMatchObject({ status: "pending", attempts: 0, lastError: null, deliveredAt: null });
    expect(typeof delivery.id).toBe("bigint");
    expect(delivery.day.toISOString()).toBe("2026-12-05T00:00:00.000Z");
    // Once per channel, item and day.
    await expect(
      prisma.notificationDelivery.create({
        data: { ...delivery, id: undefined, payload: {}, lastError: undefined, claimedUntil: undefined },
      }),
    ).rejects.toThrow();
    await expect(
      prisma.notificationDelivery.create({
        data: {
          channelId: "c",
          itemKey: "i",
          day,
          kind: "digest",
          payload: {},
          nextAttemptAt: day,
          status: "lost",
        },
      }),
    ).rejects.toThrow();
    const failed = await prisma.notificationDelivery.update({
      where: { channelId_itemKey_day: { channelId: delivery.channelId, itemKey: "digest", day } },
      data: { status: "failed", attempts: 4, lastError: "HTTP 500 from the receiver" },
    });
    expect(failed.lastError).toBe("HTTP 500 from the receiver");
  },
  async JobLease(prisma) {
    const lease = await prisma.jobLease.create({
      data: {
        name: "audit-checkpoint",
        holder: "host:1:abc",
        expiresAt: new Date("2030-01-01T00:00:00.123Z"),
      },
    });
    expect(lease).toMatchObject({ lastRunAt: null, lastRunBy: null, nextRunAt: null });
    expect(lease.acquiredAt).toBeInstanceOf(Date);
    expect(lease.expiresAt.toISOString()).toBe("2030-01-01T00:00:00.123Z");
    await expect(
      prisma.jobLease.create({ data: { name: "audit-checkpoint", holder: "other", expiresAt: new Date() } }),
    ).rejects.toThrow();
    const ran = await prisma.jobLease.update({
      where: { name: "audit-checkpoint" },
      data: { lastRunAt: new Date(), lastRunBy: "host:1:abc", nextRunAt: new Date() },
    });
    expect(ran.lastRunBy).toBe("host:1:abc");
  },
  async MigrationCompatibility(prisma) {
    // The migration runner has recorded every applied migration already.
    expect(await prisma.migrationCompatibility.count()).toBeGreaterThan(0);
    const row = await prisma.migrationCompatibility.create({
      data: { migrationName: "20991231000000_drift", expandOnly: true },
    });
    expect(row.recordedAt).toBeInstanceOf(Date);
    await expect(
      prisma.migrationCompatibility.create({
        data: { migrationName: "20991231000000_drift", expandOnly: false },
      }),
    ).rejects.toThrow();
    await prisma.migrationCompatibility.delete({ where: { migrationName: "20991231000000_drift" } });
  },
  async SignInBucket(prisma) {
    const bucket = await prisma.signInBucket.create({
      data: { key: "f".repeat(64), tokens: 9.5, updatedAt: new Date() },
    });
    expect(bucket.tokens).toBe(9.5);
    await expect(
      prisma.signInBucket.create({ data: { key: "f".repeat(64), tokens: 1, updatedAt: new Date() } }),
    ).rejects.toThrow();
    await prisma.signInBucket.deleteMany({ where: { updatedAt: { lt: new Date(Date.now() + 1000) } } });
    expect(await prisma.signInBucket.count()).toBe(0);
  },
  async ValueFix(prisma) {
    const created = await prisma.valueFix.create({
      data: {
        kind: "SealedSecret",
        cluster: "prod",
        namespace: "payments",
        name: "db",
        keys: ["password"],
        state: "proposing",
        requestedById: "00000000-0000-4000-8000-0000000000f1",
        requestedByName: "Dana",
      },
    });
    expect(created).toMatchObject({
      proposalId: null,
      restarted: [],
      failure: null,
      mergedAt: null,
      restartClaimedAt: null,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    const claimed = await prisma.valueFix.updateMany({
      where: { id: created.id, state: "proposing" },
      data: {
        state: "restarted",
        restarted: ["Deployment payments/api"],
        restartClaimedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    expect(claimed.count).toBe(1);
    // The state and kind CHECK constraints live only in SQL.
    await expect(
      prisma.valueFix.update({ where: { id: created.id }, data: { state: "sleeping" } }),
    ).rejects.toThrow();
    await expect(
      prisma.valueFix.create({ data: { ...created, id: undefined, kind: "ConfigMap" } }),
    ).rejects.toThrow();
  },
};

describe("schema.prisma matches the SQL migrations", () => {
  const { prisma } = setupMigratedDatabase();

  it("has an exercise for every model", () => {
    expect(Object.keys(exercises).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it.each(Object.values(Prisma.ModelName))("exercises %s", async (model) => {
    await exercises[model](prisma);
  });
});
