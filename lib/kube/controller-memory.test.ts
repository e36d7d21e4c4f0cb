import { describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { loadControllerMemory, saveControllerMemory, settingKey } from "./controller-memory";

// The sealing controller is re-read every SEALDECK_CONTROLLER_REFRESH_SECONDS; its write of what it
// learnt must never undo a security lead's acknowledgement stored since the refresh read the memory.

describe("saveControllerMemory", () => {
  const { prisma } = setupMigratedDatabase({ appClient: true });

  it("keeps an acknowledgement stored after the refresh read the memory", async () => {
    const cluster = "prod";
    await saveControllerMemory(cluster, {
      acknowledgedFingerprint: "fp-old",
      acknowledgedKeys: ["key-1"],
      seenPublicKeys: ["pk-1"],
    });
    const readByRefresh = await loadControllerMemory(cluster);
    // Meanwhile a security lead acknowledges the new certificate and key (as the action writes it).
    await prisma.setting.update({
      where: { key: settingKey(cluster) },
      data: {
        value: {
          acknowledgedFingerprint: "fp-new",
          acknowledgedKeys: ["key-1", "key-2"],
          seenPublicKeys: ["pk-1"],
        },
      },
    });
    // The refresh then saves what it computed from its older copy, having seen one more public key.
    await saveControllerMemory(cluster, { ...readByRefresh!, seenPublicKeys: ["pk-1", "pk-2"] });
    expect(await loadControllerMemory(cluster)).toEqual({
      acknowledgedFingerprint: "fp-new",
      acknowledgedKeys: ["key-1", "key-2"],
      seenPublicKeys: ["pk-1", "pk-2"],
    });
  });

  it("stores the first sighting as the baseline", async () => {
    const baseline = { acknowledgedFingerprint: "fp", acknowledgedKeys: ["k"], seenPublicKeys: ["pk"] };
    await saveControllerMemory("staging", baseline);
    expect(await loadControllerMemory("staging")).toEqual(baseline);
  });
});
