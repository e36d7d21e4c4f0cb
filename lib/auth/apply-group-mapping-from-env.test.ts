import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { session } from "@/lib/testing/fake-session";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { testPrincipal } from "@/lib/testing/test-principal";
import { applyGroupMappingFromEnv, readGroupMappingFile } from "./apply-group-mapping-from-env";

// SEALDECK_AUTH_GROUP_MAPPING (issue #17): a GitOps-managed group mapping file, validated and applied at
// start, audited when it changes; while set, the Settings action refuses to edit the mapping.

vi.hoisted(() => {
  process.env.SEALDECK_AUTH_GROUP_MAPPING = "/etc/sealdeck/group-mapping.yaml";
});
vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/get-current-principal", () => import("@/lib/testing/fake-session"));

let dir = "";
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sealdeck-mapping-env-"));
});

describe("readGroupMappingFile", () => {
  it("reads YAML and JSON in the format `sealdeck settings set auth.group-mapping` takes", async () => {
    const yaml = await file(
      "mapping.yaml",
      "- group: github:acme/platform\n  role: admin\n- group: payments-devs\n  role: developer\n  grants:\n    - { cluster: prod, namespace: payments }\n",
    );
    expect(await readGroupMappingFile(yaml)).toEqual([
      { group: "github:acme/platform", role: "admin", grants: [] },
      { group: "payments-devs", role: "developer", grants: [{ cluster: "prod", namespace: "payments" }] },
    ]);
    const json = await file("mapping.json", '[{"group": "ops", "role": "auditor"}]');
    expect(await readGroupMappingFile(json)).toEqual([{ group: "ops", role: "auditor", grants: [] }]);
  });

  it("says what is wrong, naming the variable and the file", async () => {
    await expect(readGroupMappingFile(join(dir, "missing.yaml"))).rejects.toThrow(
      `SEALDECK_AUTH_GROUP_MAPPING: ${join(dir, "missing.yaml")}: cannot be read (ENOENT)`,
    );
    const badRole = await file("bad-role.yaml", "- group: ops\n  role: root\n");
    await expect(readGroupMappingFile(badRole)).rejects.toThrow(
      /bad-role\.yaml: \[0\]\.role: Invalid option/,
    );
    const twice = await file(
      "twice.yaml",
      "- { group: ops, role: admin }\n- { group: ops, role: auditor }\n",
    );
    await expect(readGroupMappingFile(twice)).rejects.toThrow(/group "ops" appears more than once/);
    const broken = await file("broken.yaml", "- group: [ops\n");
    await expect(readGroupMappingFile(broken)).rejects.toThrow(/not valid YAML or JSON/);
  });
});

describe("applyGroupMappingFromEnv", () => {
  const { prisma } = setupMigratedDatabase({ appClient: true });

  it("writes the file's mapping, audited as env, and only when it changed", async () => {
    const path = await file("apply.yaml", "- { group: ops, role: admin }\n");
    expect(await applyGroupMappingFromEnv(prisma, path)).toEqual({ changed: true, groups: 1 });
    expect(await applyGroupMappingFromEnv(prisma, path)).toEqual({ changed: false, groups: 1 });
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    expect(row.value).toEqual([{ group: "ops", role: "admin", grants: [] }]);
    const events = await prisma.auditEvent.findMany({ where: { action: "settings.changed" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: "env", targetName: "auth.group-mapping" });

    await writeFile(path, "- { group: ops, role: auditor }\n");
    expect(await applyGroupMappingFromEnv(prisma, path)).toEqual({ changed: true, groups: 1 });
    expect(await prisma.auditEvent.count({ where: { action: "settings.changed" } })).toBe(2);
  });

  it("leaves the stored mapping alone when the file is invalid", async () => {
    const before = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    const path = await file("invalid.yaml", "- { group: ops, role: root }\n");
    await expect(applyGroupMappingFromEnv(prisma, path)).rejects.toThrow(/role/);
    const after = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    expect(after.value).toEqual(before.value);
  });

  it("refuses an edit in Settings while the variable is set", async () => {
    session.principal = testPrincipal({
      userId: "u-admin",
      username: "admin",
      displayName: "A",
      role: "admin",
    });
    const { saveGroupMapping } = await import("@/lib/settings/actions/save-group-mapping");
    const before = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    const result = await saveGroupMapping({ mapping: [{ group: "anyone", role: "admin", grants: [] }] });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(JSON.stringify(result)).toContain("managed by SEALDECK_AUTH_GROUP_MAPPING");
    const after = await prisma.setting.findUniqueOrThrow({ where: { key: "auth.group-mapping" } });
    expect(after.value).toEqual(before.value);
  });
});
