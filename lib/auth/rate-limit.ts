import "server-only";

// Sign-in rate limit: an in-memory token bucket per key. It lives in this process only, so with several
// replicas each has its own buckets (the per-account lockout in the database is the shared guard).

export type TokenBucket = { take(key: string, now?: number): boolean; reset(): void };

export function createTokenBucket({
  capacity,
  refillPerMinute,
}: {
  capacity: number;
  refillPerMinute: number;
}): TokenBucket {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = refillPerMinute / 60_000;
  return {
    take(key, now = Date.now()) {
      const bucket = buckets.get(key) ?? { tokens: capacity, at: now };
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      buckets.set(key, bucket);
      // Full buckets carry no information; dropping them bounds memory under a spray of usernames.
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets) if (b.tokens + (now - b.at) * perMs >= capacity) buckets.delete(k);
      }
      return allowed;
    },
    reset: () => buckets.clear(),
  };
}

// 10 tries per address + username, one more every 6 s; 30 per address across usernames, one every 2 s.
const perAccount = createTokenBucket({ capacity: 10, refillPerMinute: 10 });
const perAddress = createTokenBucket({ capacity: 30, refillPerMinute: 30 });

/** False when this address (or this address and username) has tried too often. */
export function takeSignInToken(ip: string, username: string, now = Date.now()): boolean {
  const address = perAddress.take(ip, now);
  const account = perAccount.take(`${ip}\u0000${username.toLowerCase()}`, now);
  return address && account;
}

export function resetSignInRateLimit() {
  perAccount.reset();
  perAddress.reset();
}
