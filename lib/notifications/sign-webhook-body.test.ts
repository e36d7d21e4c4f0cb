import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./sign-webhook-body";

// The README's verification recipe, as a receiver runs it: HMAC-SHA256 over "<timestamp>.<raw body>".

const secret = "whsec-unit-test-secret";
const body = JSON.stringify({ type: "sealdeck.notification", kind: "digest" });
const now = new Date("2026-12-05T08:00:30.000Z");
const timestamp = Math.floor(Date.parse("2026-12-05T08:00:00.000Z") / 1000);
const headers = (signature: string, ts = timestamp) => ({ signature, timestamp: String(ts) });

describe("webhook signatures", () => {
  it("is sha256= and the hex HMAC of the timestamp and the raw body", () => {
    expect(signWebhookBody(secret, timestamp, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      verifyWebhookSignature(secret, headers(signWebhookBody(secret, timestamp, body)), body, { now }),
    ).toBe(true);
  });

  it("refuses another body, another secret, a moved timestamp and a replay outside the tolerance", () => {
    const signature = signWebhookBody(secret, timestamp, body);
    expect(verifyWebhookSignature(secret, headers(signature), body.replace("digest", "test"), { now })).toBe(
      false,
    );
    expect(verifyWebhookSignature("another-secret", headers(signature), body, { now })).toBe(false);
    // The timestamp is signed: changing the header to look fresh breaks the signature.
    expect(
      verifyWebhookSignature(secret, headers(signature, timestamp + 600), body, {
        now: new Date(now.getTime() + 600_000),
      }),
    ).toBe(false);
    // Replayed ten minutes later, with its own (valid) signature: too old.
    expect(
      verifyWebhookSignature(secret, headers(signature), body, { now: new Date(now.getTime() + 600_000) }),
    ).toBe(false);
    expect(
      verifyWebhookSignature(secret, { signature: undefined, timestamp: String(timestamp) }, body, { now }),
    ).toBe(false);
  });
});
