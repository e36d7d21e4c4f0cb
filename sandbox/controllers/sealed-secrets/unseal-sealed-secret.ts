import "server-only";
import { unsealWithKeys } from "../../sealed-secrets/hybrid-decrypt";
import type { KubeObject } from "../../server/kube-object";
import { isRecord } from "../../server/kube-object";
import type { SealingKey } from "./sealing-keys";
import { sealingLabel } from "./sealing-scope";

export class UnsealError extends Error {}

/**
 * Decrypts every `encryptedData` entry with all active keys and returns the Secret data (base64);
 * the error text matches the controller's `no key could decrypt secret (KEY)`.
 */
export function unsealSealedSecret(sealedSecret: KubeObject, keys: SealingKey[]): Record<string, string> {
  const encrypted =
    isRecord(sealedSecret.spec) && isRecord(sealedSecret.spec.encryptedData)
      ? sealedSecret.spec.encryptedData
      : {};
  const label = sealingLabel(sealedSecret);
  const data: Record<string, string> = {};
  const failed: string[] = [];
  for (const [key, value] of Object.entries(encrypted)) {
    try {
      data[key] = unsealWithKeys(
        keys.map((k) => k.privateKey),
        String(value),
        label,
      ).toString("base64");
    } catch {
      failed.push(key);
    }
  }
  if (failed.length > 0) throw new UnsealError(`no key could decrypt secret (${failed.sort().join(", ")})`);
  return data;
}
