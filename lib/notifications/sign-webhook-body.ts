import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Sealdeck-Signature";
export const TIMESTAMP_HEADER = "X-Sealdeck-Timestamp";

/**
 * The generic webhook's signature: `sha256=` + hex HMAC-SHA256, keyed with the channel's secret, over
 * `<timestamp>.<raw body>`. The timestamp (Unix seconds, also sent in X-Sealdeck-Timestamp) is inside
 * the signed text, so a receiver that refuses old timestamps refuses replays.
 */
export function signWebhookBody(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/** The receiver's side of the recipe (used by the tests): signature and freshness, in constant time. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  options: { now: Date; toleranceSeconds?: number },
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(options.now.getTime() / 1000 - timestamp) > tolerance) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
