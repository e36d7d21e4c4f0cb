import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { runSealdeck } from "../testing/run-sealdeck";

describe("sealdeck settings set auth.group-mapping", () => {
  const { url, prisma } = setupMigratedDatabase();
  const set = (...args: string[]) =>
    runSealdeck(["settings", "set", ...args], { env: { DATABASE_URL: url, LOG_LEVEL: "warn" } });

  const file = async (name: string, value: unknown) => {
    const path = join(await mkdtemp(join(tmpdir(), "sealdeck-mapping-")), name);
    await writeFile(path, JSON.stringify(value));
    return path;
  };

  it("stores a valid mapping, audited as the CLI", async () => {
    const good = await file("good.json", [
      { group: "platform", role: "admin" },
      { group: "payments-devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
    ]);
    const saved = await set("auth.group-mapping", good);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain("saved (2 groups)");
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    expect(row.value).toEqual([
      { group: "platform", role: "admin", grants: [] },
      { group: "payments-devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "settings.changed" } });
    expect(audit).toMatchObject({ actorName: "cli", actorUserId: null, targetName: "auth.group-mapping" });
  }, 90_000);

  it("refuses an invalid mapping without writing, and keys it cannot set", async () => {
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    const bad = await file("bad.json", [{ group: "x", role: "root" }]);
    const refused = await set("auth.group-mapping", bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("Not saved");
    expect((await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } })).value).toEqual(
      row.value,
    );
    expect((await set("clusters", bad)).code).toBe(2);
  }, 90_000);

  it("refuses while SEALDECK_AUTH_GROUP_MAPPING manages the mapping", async () => {
    const path = await file("mapping.json", [{ group: "github:acme/platform", role: "admin" }]);
    const before = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    const managed = await runSealdeck(["settings", "set", "auth.group-mapping", path], {
      env: { DATABASE_URL: url, LOG_LEVEL: "warn", SEALDECK_AUTH_GROUP_MAPPING: "/etc/mapping.yaml" },
    });
    expect(managed.code).not.toBe(0);
    expect(managed.stderr).toContain("managed by SEALDECK_AUTH_GROUP_MAPPING");
    const after = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    expect(after.value).toEqual(before.value);
  }, 90_000);
});
