import "server-only";

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// Webhook authentication per forge. Every comparison is constant-time over fixed-length digests, so
// neither the content nor the length of a guess leaks through timing.

const sha256 = (value: string | Buffer) => createHash("sha256").update(value).digest();

/** Equal strings, compared in constant time (digests first, so different lengths are no shortcut). */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function hmacHex(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyGitHubSignature(secret: string, body: Buffer, header: string | null): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const given = header.slice("sha256=".length).trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(given) && sameText(given, hmacHex(secret, body));
}

/** GitLab: `X-Gitlab-Token` is the configured secret itself. */
export function verifyGitLabToken(secret: string, header: string | null): boolean {
  return header !== null && header !== "" && sameText(header, secret);
}

/** Gitea (`X-Gitea-Signature`) and Forgejo (`X-Forgejo-Signature`): hex HMAC-SHA256 of the raw body. */
export function verifyGiteaSignature(secret: string, body: Buffer, header: string | null): boolean {
  const given =
    header
      ?.trim()
      .toLowerCase()
      .replace(/^sha256=/, "") ?? "";
  return /^[0-9a-f]{64}$/.test(given) && sameText(given, hmacHex(secret, body));
}
