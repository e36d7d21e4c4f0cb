import "server-only";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AppError } from "@/lib/errors/app-error";
import { publicKeyId } from "./verify-checkpoint";

// The Ed25519 key that signs audit checkpoints lives outside the database: whoever can rewrite the
// table must not also be able to re-sign it. From SEALDECK_AUDIT_SIGNING_KEY (PEM) when set, else from
// <data dir>/audit-signing-key.pem, generated on first use.

export const SIGNING_KEY_FILE = "audit-signing-key.pem";

export type AuditSigningKey = { privateKey: KeyObject; publicKeyPem: string; keyId: string };

export type SigningKeySource = {
  /** PKCS#8 PEM, normally process.env.SEALDECK_AUDIT_SIGNING_KEY. */
  pem?: string;
  /** SEALDECK_DATA_DIR. */
  dataDir: string;
  /** Receives the one-line back-up warning when a key is generated. */
  warn: (line: string) => void;
};

function fromPem(pem: string, where: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    // Never echo the PEM: it is the secret.
    throw new AppError("internal", `the audit signing key in ${where} cannot be read as a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new AppError("internal", `the audit signing key in ${where} is not an Ed25519 key`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: publicKeyId(publicKey),
  };
}

/** Loads the signing key, generating and saving one (mode 0600) on first use. */
export function loadAuditSigningKey(source: SigningKeySource): AuditSigningKey {
  if (source.pem) return fromPem(source.pem, "SEALDECK_AUDIT_SIGNING_KEY");
  const file = resolve(join(source.dataDir, SIGNING_KEY_FILE));
  if (existsSync(file)) return fromPem(readFileSync(file, "utf8"), file);
  const { privateKey } = generateKeyPairSync("ed25519");
  mkdirSync(dirname(file), { recursive: true });
  // "wx": two processes starting together must not overwrite each other's key.
  try {
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fromPem(readFileSync(file, "utf8"), file);
    throw error;
  }
  const key = fromPem(readFileSync(file, "utf8"), file);
  source.warn(
    `generated the audit signing key ${file} (key id ${key.keyId.slice(0, 16)}…); back it up, or set SEALDECK_AUDIT_SIGNING_KEY: checkpoints signed with it cannot be re-signed`,
  );
  return key;
}
