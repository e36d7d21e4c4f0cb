import "server-only";
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing with scrypt (memory-hard, in node:crypto). Defaults: N = 2^15, r = 8, p = 1, a 64-byte
 * key and a 16-byte random salt, which needs 128 · N · r = 32 MiB per hash (about 60–100 ms on one
 * core), in line with OWASP's scrypt minimum (N = 2^17 with r = 8 is its strongest row; raise
 * `currentParams` when hardware allows). The parameters are stored with the hash,
 * `scrypt$ln=15,r=8,p=1,len=64$<salt b64>$<key b64>`, so raising them later keeps old hashes verifiable
 * and `needsRehash` tells the sign-in to upgrade them.
 */
export type ScryptParams = { ln: number; r: number; p: number; len: number };

export const currentParams: ScryptParams = { ln: 15, r: 8, p: 1, len: 64 };
const saltBytes = 16;

// Bounds for parameters read back from the database: refuse absurd values rather than burn memory.
const limits = { ln: [10, 20], r: [1, 32], p: [1, 16], len: [32, 128] } as const;

function maxmem({ ln, r, p }: ScryptParams) {
  // Node's default maxmem (32 MiB) is exactly 128·N·r for N=2^15, r=8 and rejects it; leave headroom.
  return 128 * 2 ** ln * r * p + 16 * 1024 * 1024;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: maxmem(params) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, params.len, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer) {
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p},len=${params.len}$${salt.toString("base64")}$${key.toString("base64")}`;
}

type Parsed = { params: ScryptParams; salt: Buffer; key: Buffer };

export function parsePasswordHash(stored: string): Parsed | null {
  const match = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+),len=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
    stored,
  );
  if (!match) return null;
  const params: ScryptParams = {
    ln: Number(match[1]),
    r: Number(match[2]),
    p: Number(match[3]),
    len: Number(match[4]),
  };
  for (const [name, [min, max]] of Object.entries(limits)) {
    const value = params[name as keyof ScryptParams];
    if (value < min || value > max) return null;
  }
  const key = Buffer.from(match[6] ?? "", "base64");
  if (key.length !== params.len) return null;
  return { params, salt: Buffer.from(match[5] ?? "", "base64"), key };
}

export async function hashPassword(password: string, params: ScryptParams = currentParams): Promise<string> {
  const salt = randomBytes(saltBytes);
  return encode(params, salt, await derive(password, salt, params));
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return true;
  const { params } = parsed;
  return (
    params.ln < currentParams.ln ||
    params.r < currentParams.r ||
    params.p < currentParams.p ||
    params.len < currentParams.len
  );
}

let dummy: Promise<string> | undefined;

/** Burns the same time as a real check, so an unknown username is not faster to reject than a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(18).toString("base64"));
  await verifyPassword(password, await dummy);
  return false;
}
