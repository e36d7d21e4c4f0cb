import "server-only";
import { createHash } from "node:crypto";

// Sign-in rate limit: token buckets in Postgres (sign_in_buckets), so every replica draws from the same
// buckets. Each take is one atomic statement: the bucket is refilled for the time since it was last
// touched and a token is taken only if one is there; a refused take changes nothing. Rows are keyed by
// a SHA-256 of the address (and username), never the address or name itself.

/** What the buckets need of a Prisma client (or transaction). */
export type RateLimitDb = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
};

export type BucketSpec = { capacity: number; refillPerMinute: number };

// $1 key, $2 capacity, $3 tokens per millisecond, $4 now.
const TAKE = `INSERT INTO sign_in_buckets AS b (key, tokens, updated_at) VALUES ($1, $2::float8 - 1, $4::timestamptz)
ON CONFLICT (key) DO UPDATE SET
  tokens = LEAST($2::float8, b.tokens + GREATEST(0, extract(epoch FROM ($4::timestamptz - b.updated_at)) * 1000) * $3::float8) - 1,
  updated_at = GREATEST(b.updated_at, $4::timestamptz)
WHERE LEAST($2::float8, b.tokens + GREATEST(0, extract(epoch FROM ($4::timestamptz - b.updated_at)) * 1000) * $3::float8) >= 1
RETURNING 1 AS taken`;

const bucketKey = (parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** Takes one token from the bucket `parts` name; false when it is empty. */
export async function takeToken(
  db: RateLimitDb,
  parts: string[],
  spec: BucketSpec,
  now = Date.now(),
): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<unknown[]>(
    TAKE,
    bucketKey(parts),
    spec.capacity,
    spec.refillPerMinute / 60_000,
    new Date(now),
  );
  return rows.length === 1;
}

// 10 tries per address + username, one more every 6 s; 30 per address across usernames, one every 2 s.
const PER_ACCOUNT: BucketSpec = { capacity: 10, refillPerMinute: 10 };
const PER_ADDRESS: BucketSpec = { capacity: 30, refillPerMinute: 30 };

/** False when this address (or this address and username) has tried too often, on any replica. */
export async function takeSignInToken(
  db: RateLimitDb,
  ip: string,
  username: string,
  now = Date.now(),
): Promise<boolean> {
  // Both buckets refill completely within a minute: a row untouched for longer holds nothing.
  await db.$executeRawUnsafe(
    "DELETE FROM sign_in_buckets WHERE updated_at < $1::timestamptz - interval '2 minutes'",
    new Date(now),
  );
  const address = await takeToken(db, ["address", ip], PER_ADDRESS, now);
  const account = await takeToken(db, ["account", ip, username.toLowerCase()], PER_ACCOUNT, now);
  return address && account;
}
