import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// A provider's refresh token is kept with its session in the database, encrypted: AES-256-GCM under a
// key derived from NEXTAUTH_SECRET (HKDF-SHA256, its own label, so the cookie key is never reused as
// is), with the session id as additional data, so a value copied onto another session does not open.
// A database dump alone therefore yields no usable token.

const label = "sealdeck provider refresh token v1";

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), label, 32));
}

export function sealProviderToken(secret: string, sessionId: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(Buffer.from(sessionId, "utf8"));
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** The token, or null when it does not open (another secret, another session, or tampered). */
export function openProviderToken(secret: string, sessionId: string, sealed: string): string | null {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== "v1" || !ivText || !bodyText) return null;
  const body = Buffer.from(bodyText, "base64url");
  if (body.length < 17) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(ivText, "base64url"));
    decipher.setAAD(Buffer.from(sessionId, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return null;
  }
}
