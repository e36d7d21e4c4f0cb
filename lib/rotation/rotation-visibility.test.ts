import { describe, expect, it } from "vitest";
import { testPrincipal } from "@/lib/testing/test-principal";
import { rotationVisibility } from "./get-rotation-schedule";

// Who sees which rows of the schedule: every role that reads rotations "all" sees everything (no
// filter at all, so the memoised unfiltered views apply); a developer only their granted namespaces.

const row = (cluster: string, namespace: string | null) => ({ cluster, namespace }) as never;

describe("rotationVisibility", () => {
  it("does not filter for security leads, auditors and admins", async () => {
    for (const role of ["security-lead", "auditor", "admin"] as const)
      expect(
        await rotationVisibility(testPrincipal({ userId: role, username: role, displayName: role, role })),
      ).toBeNull();
  });

  it("shows a developer the namespaces they hold a grant for, on that cluster", async () => {
    const visible = await rotationVisibility(
      testPrincipal({
        userId: "dev",
        username: "dev",
        displayName: "Dev",
        role: "developer",
        grants: [
          { cluster: "sandbox", namespace: "payments" },
          { cluster: "*", namespace: "shop" },
        ],
      }),
    );
    expect(visible).not.toBeNull();
    expect(visible!(row("sandbox", "payments"))).toBe(true);
    expect(visible!(row("prod", "payments"))).toBe(false);
    expect(visible!(row("prod", "shop"))).toBe(true);
    expect(visible!(row("sandbox", "billing"))).toBe(false);
    expect(visible!(row("sandbox", null))).toBe(false);
  });
});
