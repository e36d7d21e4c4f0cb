import { describe, expect, it } from "vitest";
import { healthReasonText } from "./health-reason-text";

describe("healthReasonText", () => {
  it("writes an ESO code as a sentence, keeping the code and message in the full text", () => {
    expect(
      healthReasonText({
        status: "Degraded",
        reason: "SecretSyncedError",
        message: "could not get secret data",
      }),
    ).toEqual({
      short: "Could not sync from the secret store",
      full: "Could not sync from the secret store (SecretSyncedError): could not get secret data",
    });
    expect(healthReasonText({ status: "Degraded", reason: "ProviderUnavailable", message: null }).short).toBe(
      "Provider unavailable",
    );
  });

  it("leaves a reason that is already words alone", () => {
    expect(
      healthReasonText({
        status: "Degraded",
        reason: "Unseal failed",
        message: "no key could decrypt secret",
      }),
    ).toEqual({
      short: "Unseal failed",
      full: "Unseal failed: no key could decrypt secret",
    });
  });
});
